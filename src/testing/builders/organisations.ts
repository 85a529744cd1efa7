import { randomUUID } from 'node:crypto';
import type { Db } from '../../database.ts';
import {
  findOrganisationById,
  insertOrganisation,
  type Organisation,
  type OrganisationKind,
} from '../../modules/organisations/index.ts';

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

/**
 * The host organisation of the test database (there is only ever one), made on first use.
 *
 * @param db - the test database.
 * @returns the host organisation.
 */
export async function hostOrganisation(db: Db): Promise<Organisation> {
  const existing = await db.selectFrom('organisations').select('id').where('is_host', '=', true).executeTakeFirst();
  if (existing) {
    const found = await findOrganisationById(db, existing.id);
    if (found) {
      return found;
    }
  }
  return buildOrganisation(db, { isHost: true, name: `Host Organisation ${randomUUID().slice(0, 8)}` });
}
