import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import { insertOrganisation, type Organisation, type OrganisationKind } from '../../modules/organisations/index.ts';

const BUILT_AT = new Date('2026-01-05T09:00:00Z');
let counter = 0;

/**
 * Builds an organisation with a synthetic name.
 *
 * @param db - the test database.
 * @param overrides - anything to set.
 * @returns the organisation.
 */
export async function buildOrganisation(
  db: Db,
  overrides: Partial<{ name: string; kind: OrganisationKind; odsCode: string | null; isHost: boolean }> = {},
): Promise<Organisation> {
  counter += 1;
  return insertOrganisation(
    db,
    {
      id: randomUUID(),
      name: overrides.name ?? `Test Organisation ${counter} ${randomUUID().slice(0, 8)}`,
      kind: overrides.kind ?? 'charity',
      odsCode: overrides.odsCode ?? null,
      isHost: overrides.isHost ?? false,
    },
    BUILT_AT,
  );
}
