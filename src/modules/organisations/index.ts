import path from 'node:path';

export {
  insertOrganisation,
  findOrganisationById,
  organisationNameTaken,
  sharingGrantsFor,
} from './organisations.repo.ts';
export type { Organisation } from './organisations.repo.ts';
export type { OrganisationKind } from './organisations.tables.ts';
export { ORGANISATION_KINDS, organisationKindField, odsCodeField } from './organisations.forms.ts';
export { registerOrganisationPages } from './organisations.pages.ts';
export { normalisePostcode } from './postcode.ts';
export { listServicesInvolving } from './services.repo.ts';
export { mayFacilitate, partnerMayFacilitate } from './partner-facilitation.repo.ts';

/** Where this module's page templates live. */
export const organisationsViews = [path.join(import.meta.dirname, 'views')];
