import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation } from '../../testing/builders/organisations.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { duplicateStrength, findPossibleDuplicates } from './members.repo.ts';

describe('finding people already known', () => {
  let database: TestDatabase;
  let organisationId: string;
  let otherOrganisationId: string;
  before(async () => {
    database = await createTestDatabase();
    organisationId = (await buildOrganisation(database.db)).id;
    otherOrganisationId = (await buildOrganisation(database.db)).id;
    const db = database.db;
    await buildMember(db, { organisationId, legalName: 'Catherine Oduya', dateOfBirth: '1984-02-29' });
    await buildMember(db, {
      organisationId,
      legalName: 'Robert Nkemelu',
      preferredName: 'Bobby',
      dateOfBirth: '1970-06-01',
      postcode: 'ME14 1XX',
    });
    await buildMember(db, {
      organisationId,
      legalName: 'Alice Unrelated',
      dateOfBirth: '2001-01-01',
      nhsNumber: '9434765919',
    });
    await buildMember(db, {
      organisationId,
      legalName: 'Sam Phone',
      dateOfBirth: '1999-09-09',
      phone: '+44 7700 900 555',
      email: 'sam@example.org',
    });
    await buildMember(db, { organisationId: otherOrganisationId, legalName: 'Catherine Oduya' });
  });
  after(() => database.drop());

  const names = (found: { legalName: string }[]) => found.map((f) => f.legalName);

  it('finds a misspelt name by trigram similarity, and says what matched', async () => {
    const found = await findPossibleDuplicates(database.db, [organisationId], { name: 'Kathryn Oduya' });
    assert.deepEqual(names(found), ['Catherine Oduya']);
    assert.deepEqual(found[0]?.matches, ['name']);
    assert.ok((found[0]?.nameSimilarity ?? 0) > 0.3 && (found[0]?.nameSimilarity ?? 1) < 1);
  });

  it('compares both the legal and the preferred name, either way round', async () => {
    const byPreferred = await findPossibleDuplicates(database.db, [organisationId], {
      name: 'Bobby Nkemelu',
    });
    assert.deepEqual(names(byPreferred), ['Robert Nkemelu']);
    const probePreferred = await findPossibleDuplicates(database.db, [organisationId], {
      name: 'Someone Else',
      preferredName: 'Robert Nkemelu',
    });
    assert.deepEqual(names(probePreferred), ['Robert Nkemelu']);
  });

  it('finds exact matches on date of birth, NHS number, postcode, email, and phone by its digits', async () => {
    const cases: [Parameters<typeof findPossibleDuplicates>[2], string, string][] = [
      [{ name: 'Nobody Alike', dateOfBirth: '1984-02-29' }, 'Catherine Oduya', 'date_of_birth'],
      [{ name: 'Nobody Alike', nhsNumber: '9434765919' }, 'Alice Unrelated', 'nhs_number'],
      [{ name: 'Nobody Alike', postcode: 'ME14 1XX' }, 'Robert Nkemelu', 'postcode'],
      [{ name: 'Nobody Alike', email: 'SAM@example.org' }, 'Sam Phone', 'email'],
      [{ name: 'Nobody Alike', phone: '447700900555' }, 'Sam Phone', 'phone'],
    ];
    for (const [probe, expected, match] of cases) {
      const found = await findPossibleDuplicates(database.db, [organisationId], probe);
      assert.deepEqual(names(found), [expected], match);
      assert.deepEqual(found[0]?.matches, [match], match);
    }
  });

  it('finds nobody for a stranger, and searches only the organisations it is given', async () => {
    assert.deepEqual(await findPossibleDuplicates(database.db, [organisationId], { name: 'Zed Quartz' }), []);
    assert.deepEqual(await findPossibleDuplicates(database.db, [], { name: 'Catherine Oduya' }), []);
    const other = await findPossibleDuplicates(database.db, [otherOrganisationId], {
      name: 'Catherine Oduya',
    });
    assert.equal(other.length, 1);
    assert.equal(other[0]?.organisationId, otherOrganisationId);
  });

  it('puts an NHS number match above any number of other matches', () => {
    const nhs = duplicateStrength({ matches: ['nhs_number'], nameSimilarity: 0 });
    const many = duplicateStrength({
      matches: ['name', 'date_of_birth', 'postcode', 'email', 'phone'],
      nameSimilarity: 1,
    });
    assert.ok(nhs > many);
  });
});
