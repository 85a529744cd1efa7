import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Ctx } from '../../context.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import type { StaffActor, StaffRole } from '../../policy/index.ts';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import { TestClock } from '../../testing/test-clock.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { ETHNIC_CATEGORIES, ethnicCategoryLabel } from './ethnic-categories.ts';
import { updateMemberIfVersion } from './members.repo.ts';
import {
  changeEqualityMonitoring,
  changePersonalDetails,
  memberTimeline,
  recordConsent,
  searchMembers,
  viewMemberRecord,
  withdrawConsent,
} from './members.service.ts';

describe('memberTimeline', () => {
  it('puts the newest first, reading an episode day as that day, and names who recorded consent', () => {
    const events = memberTimeline(
      { created_at: new Date('2026-01-05T09:00:00Z') },
      [
        {
          id: 'p',
          memberId: 'm',
          name: 'Sam Carer',
          relationship: 'Sister',
          isCarer: true,
          phone: null,
          email: null,
          mayContact: true,
          createdAt: new Date('2026-01-06T09:00:00Z'),
          version: 1,
        },
      ],
      [
        {
          id: 'c',
          memberId: 'm',
          about: 'Sharing their plan',
          withWhom: 'Their GP',
          given: true,
          recordedAt: new Date('2026-01-07T09:00:00Z'),
          recordedByName: 'Priya Worker',
          withdrawnAt: new Date('2026-02-01T09:00:00Z'),
          withdrawnByName: 'Lee Manager',
        },
      ],
      [
        {
          id: 'e',
          serviceName: 'Peer Support',
          status: 'discharged',
          startedOn: '2026-01-08',
          anticipatedEndOn: null,
          reviewOn: null,
          dischargedOn: '2026-01-20',
        },
      ],
    );
    assert.deepEqual(
      events.map((e) => [e.text, e.by]),
      [
        ['Consent withdrawn: Sharing their plan, with Their GP', 'Lee Manager'],
        ['Discharged: Peer Support', undefined],
        ['Episode of support started: Peer Support', undefined],
        ['Consent given: Sharing their plan, with Their GP', 'Priya Worker'],
        ['Sam Carer added (Sister)', undefined],
        ['Record created', undefined],
      ],
    );
  });
});

describe('ethnic categories', () => {
  it('has the NHS Data Dictionary codes, with Z shown as prefer not to say', () => {
    assert.deepEqual(ETHNIC_CATEGORIES.map((c) => c.code).join(''), 'ABCDEFGHJKLMNPRS');
    assert.equal(ethnicCategoryLabel('A'), 'White – British');
    assert.equal(ethnicCategoryLabel('Z'), 'Prefer not to say / not stated');
    assert.equal(ethnicCategoryLabel('99'), 'Not known');
    assert.equal(ethnicCategoryLabel(null), 'Not asked');
  });
});

describe('the member record use cases', () => {
  let database: TestDatabase;
  let hostId: string;
  let partnerId: string;
  let worker: Ctx;
  let partner: Ctx;
  let memberId: string;

  const ctxFor = (
    id: string,
    organisationId: string,
    roles: StaffRole[] = ['peer_support_worker'],
    sharing: StaffActor['sharing'] = [],
  ): Ctx => ({
    db: database.db,
    actor: { kind: 'staff', id, organisationId, hostOrganisation: false, roles, sharing },
    origin: {},
    clock: new TestClock(),
  });

  before(async () => {
    database = await createTestDatabase();
    hostId = (await hostOrganisation(database.db)).id;
    partnerId = (await buildOrganisation(database.db)).id;
    const staff = await buildStaff(database.db, { organisationId: hostId });
    const partnerStaff = await buildStaff(database.db, { organisationId: partnerId });
    worker = ctxFor(staff.id, hostId);
    partner = ctxFor(
      partnerStaff.id,
      partnerId,
      ['care_coordinator'],
      [{ fromOrganisationId: hostId, category: 'member_details', agreementId: randomUUID() }],
    );
    memberId = (
      await buildMember(database.db, {
        organisationId: hostId,
        legalName: 'Morgan Example',
        communicationNeeds: ['large_print'],
      })
    ).id;
    await database.db
      .updateTable('members')
      .set({ ethnic_category: 'A', emergency_contact_name: 'Ali Friend' })
      .where('id', '=', memberId)
      .execute();
    await buildMember(database.db, { organisationId: partnerId, legalName: 'Morgan Elsewhere' });
  });
  after(() => database.drop());

  it('searches only within the organisations the actor may see', async () => {
    const own = await searchMembers(worker, { name: 'Morgan' });
    assert.deepEqual(
      own.map((m) => m.legalName),
      ['Morgan Example'],
    );
    const shared = await searchMembers(partner, { name: 'Morgan' });
    assert.deepEqual(shared.map((m) => m.legalName).sort(), ['Morgan Elsewhere', 'Morgan Example']);
    const stranger = ctxFor(randomUUID(), (await buildOrganisation(database.db)).id);
    assert.deepEqual(await searchMembers(stranger, { name: 'Morgan' }), []);
    await assert.rejects(searchMembers(ctxFor(randomUUID(), hostId, ['commissioner']), {}), Forbidden);
  });

  it('gives a partner under member_details no emergency contact, equality answer, people or consents', async () => {
    const record = await viewMemberRecord(partner, memberId);
    assert.equal(record.whole, false);
    assert.equal(record.member.legal_name, 'Morgan Example');
    assert.deepEqual(record.member.communication_needs, ['large_print']);
    assert.ok(!('ethnic_category' in record.member));
    assert.ok(!('emergency_contact_name' in record.member));
    assert.ok(!('people' in record));
    const whole = await viewMemberRecord(worker, memberId);
    assert.equal(whole.whole, true);
    assert.equal(whole.whole && whole.member.ethnic_category, 'A');
  });

  it('refuses a partner any change, as if the member did not exist', async () => {
    await assert.rejects(
      changeEqualityMonitoring(partner, memberId, { ethnicCategory: 'Z', version: 1 }),
      NotFound,
    );
    await assert.rejects(
      recordConsent(partner, memberId, { about: 'Anything', withWhom: 'Anyone', given: true }),
      NotFound,
    );
  });

  it('writes nothing, not even an audit row, for a save that changes nothing', async () => {
    const before = await database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    const audits = await database.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'member.updated')
      .execute();
    await changePersonalDetails(worker, memberId, {
      legalName: before.legal_name,
      preferredName: before.preferred_name,
      pronouns: before.pronouns,
      dateOfBirth: before.date_of_birth,
      nhsNumber: before.nhs_number,
      gpPractice: before.gp_practice,
      version: before.version,
    });
    const after = await database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(after, before);
    const auditsAfter = await database.db
      .selectFrom('audit_events')
      .select('seq')
      .where('action', '=', 'member.updated')
      .execute();
    assert.equal(auditsAfter.length, audits.length);
  });

  it('updates only at the version the caller saw', async () => {
    const now = new Date('2026-03-02T10:00:00Z');
    assert.equal(
      await updateMemberIfVersion(database.db, memberId, { pronouns: 'they/them' }, 99, now),
      false,
    );
    const row = await database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    assert.equal(row.pronouns, null);
    assert.equal(
      await updateMemberIfVersion(database.db, memberId, { pronouns: 'they/them' }, row.version, now),
      true,
    );
    const next = await database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    assert.equal(next.version, row.version + 1);
    await assert.rejects(
      changeEqualityMonitoring(worker, memberId, { ethnicCategory: 'Z', version: row.version }),
      Conflict,
    );
  });

  it('withdraws a consent once, keeping the row', async () => {
    const consentId = await recordConsent(worker, memberId, {
      about: 'Sharing',
      withWhom: 'GP',
      given: true,
    });
    await withdrawConsent(worker, memberId, consentId);
    await assert.rejects(withdrawConsent(worker, memberId, consentId), Conflict);
    const row = await database.db
      .selectFrom('member_consents')
      .selectAll()
      .where('id', '=', consentId)
      .executeTakeFirstOrThrow();
    assert.equal(row.given, true);
    assert.equal(row.withdrawn_by, worker.actor.kind === 'staff' ? worker.actor.id : null);
    const audit = await database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_id', '=', memberId)
      .where('action', 'in', ['member.consent_recorded', 'member.consent_withdrawn'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(audit, [
      { action: 'member.consent_recorded', details: { consentId, given: true } },
      { action: 'member.consent_withdrawn', details: { consentId } },
    ]);
  });
});
