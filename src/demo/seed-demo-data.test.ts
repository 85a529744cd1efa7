import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../platform/audit/audit.ts';
import { STAFF_ROLES } from '../policy/index.ts';
import { TestClock } from '../testing/test-clock.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-db.ts';
import { listSessionsOverview } from '../modules/groups/calendar-month.repo.ts';
import { findPossibleDuplicates } from '../modules/members/members.repo.ts';
import { isClosedStatus, isOverdue, REFERRAL_STATUSES } from '../modules/referrals/index.ts';
import { seedDemoData } from './seed-demo-data.ts';

describe('demo data', () => {
  let t: TestDatabase;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'alongside-demo-'));
  before(async () => {
    t = await createTestDatabase();
  });
  after(async () => {
    await t.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a charity and an NHS trust sharing one service under an agreement, with someone in every role', async () => {
    const lines = await seedDemoData(t.db, new TestClock(), dataDir, 'https://demo.example.org');
    assert.match(lines.join('\n'), /password: demo/);
    const organisations = await t.db
      .selectFrom('organisations')
      .select(['kind', 'is_host'])
      .orderBy('kind')
      .execute();
    assert.deepEqual(organisations, [
      { kind: 'charity', is_host: true },
      { kind: 'nhs_trust', is_host: false },
    ]);
    const staff = await t.db.selectFrom('staff').select(['roles', 'email', 'totp_enrolled_at']).execute();
    const roles = new Set(staff.flatMap((s) => s.roles));
    assert.deepEqual([...roles].sort(), Object.keys(STAFF_ROLES).sort());
    assert.ok(staff.every((s) => s.email.endsWith('.example.org') && s.totp_enrolled_at));
    const grants = await t.db.selectFrom('sharing_agreement_grants').select('category').execute();
    assert.ok(grants.length >= 6);
    const delivering = await t.db.selectFrom('service_organisations').select('organisation_id').execute();
    assert.equal(delivering.length, 2);
    assert.deepEqual(await verifyAuditChain(t.db), { ok: true, rows: 1 });
  });

  it('puts the front door to use: referrals in every state, one overdue, someone quiet, someone coming back', async () => {
    const clock = new TestClock();
    const referrals = await t.db
      .selectFrom('referrals')
      .select(['status', 'first_contact_due', 'name'])
      .execute();
    assert.deepEqual([...new Set(referrals.map((r) => r.status))].sort(), [...REFERRAL_STATUSES].sort());
    assert.ok(
      referrals.some((r) => !isClosedStatus(r.status) && isOverdue(r.first_contact_due, clock.now())),
      'an open referral past its first-contact date',
    );
    const quiet = await t.db
      .selectFrom('episode_engagement')
      .select('last_engaged_at')
      .where('last_engaged_at', '<', new Date(clock.now().getTime() - 4 * 7 * 24 * 3600 * 1000))
      .execute();
    assert.equal(quiet.length, 1, 'one person on the non-engagement worklist');
    const host = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('is_host', '=', true)
      .executeTakeFirstOrThrow();
    const returning = await findPossibleDuplicates(t.db, [host.id], {
      name: 'Steven Kowalsky',
      dateOfBirth: '1986-11-23',
    });
    assert.equal(returning[0]?.legalName, 'Stephen Kowalski');
    assert.deepEqual(returning[0]?.matches, ['name', 'date_of_birth']);
  });

  it('runs a week of co-facilitated groups with registers, one-to-one support, plans and member sign-in', async () => {
    const now = new TestClock().now();
    const weekAhead = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
    const sunSessions = await t.db
      .selectFrom('group_sessions as s')
      .innerJoin('group_programmes as g', 'g.id', 's.group_id')
      .select([
        's.id',
        (eb) =>
          eb
            .selectFrom('group_session_facilitators as f')
            .select((f) => f.fn.countAll<string>().as('n'))
            .whereRef('f.session_id', '=', 's.id')
            .as('facilitators'),
      ])
      .where('g.group_type', '=', 'sun_group')
      .where('s.status', '=', 'scheduled')
      .where('s.starts_at', '>=', now)
      .where('s.starts_at', '<', weekAhead)
      .execute();
    assert.ok(sunSessions.length >= 2, 'SUN group sessions this coming week');
    assert.ok(sunSessions.filter((s) => Number(s.facilitators) === 2).length >= 1, 'co-facilitated');
    // The trust's clinicians on the charity's groups are covered by the partnership's agreement on
    // every session to come, so none shows as needing a facilitator.
    const organisations = await t.db.selectFrom('organisations').select('id').execute();
    const inTwoMonths = new Date(now.getTime() + 61 * 24 * 3600 * 1000);
    const uncovered = [];
    for (const { id } of organisations) {
      for (const session of await listSessionsOverview(t.db, {
        organisationId: id,
        from: now,
        to: inTwoMonths,
      })) {
        uncovered.push(...session.facilitators.filter((f) => !f.permitted).map((f) => f.name));
      }
    }
    assert.deepEqual(uncovered, []);
    const partnerFacilitated = await t.db
      .selectFrom('group_session_facilitators as f')
      .innerJoin('staff as st', 'st.id', 'f.staff_id')
      .innerJoin('group_sessions as s', 's.id', 'f.session_id')
      .innerJoin('group_programmes as g', 'g.id', 's.group_id')
      .select('f.session_id')
      .whereRef('st.organisation_id', '<>', 'g.organisation_id')
      .where('s.starts_at', '>=', now)
      .execute();
    assert.ok(partnerFacilitated.length > 0, "the trust's clinicians facilitate the charity's SUN groups");
    const count = async (table: 'session_attendance' | 'contacts' | 'plans' | 'session_note_signatures') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (const table of ['session_attendance', 'contacts', 'plans', 'session_note_signatures'] as const) {
      assert.ok((await count(table)) > 0, table);
    }
  });

  it('seeds once, and repeats the sign-in details on every later start', async () => {
    const again = await seedDemoData(t.db, new TestClock(), dataDir, 'https://demo.example.org');
    assert.match(again.join('\n'), /priya\.shah@/);
    assert.match(again.join('\n'), /ruth\.member@example\.org/);
    assert.match(again.join('\n'), /https:\/\/demo\.example\.org\/calendars\//);
    const organisations = await t.db.selectFrom('organisations').select('id').execute();
    assert.equal(organisations.length, 2);
  });
});
