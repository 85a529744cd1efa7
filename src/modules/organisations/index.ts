import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

export { insertOrganisation, findOrganisationById, organisationNameTaken, sharingGrantsFor } from './organisations.repo.ts';
export type { Organisation } from './organisations.repo.ts';
export type { OrganisationKind } from './organisations.tables.ts';

/** Where this module's page templates live. */
export const organisationsViews = [path.join(import.meta.dirname, 'views')];

/**
 * Registers the organisation, service, locality, base and sharing-agreement administration pages.
 *
 * @param _app - the application.
 * @param _deps - its dependencies.
 */
export function registerOrganisationPages(_app: FastifyInstance, _deps: Deps): void {
  // Filled in by organisations.pages.ts.
}
