import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import { buildMember } from '../../testing/builders/members.ts';
import { buildAgreement, buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import { MISSING_ID, withoutPerResponseValues } from '../../testing/builders/partnership.ts';
import { buildReferral } from '../../testing/builders/referrals.ts';
import { signIn, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

const TRIAGE_PAGES = ['contact-attempts/new', 'welcome', 'person', 'outcome'];

describe('triage of a referral', () => {
  let t: TestApp;
  let hostId: string;
  let worker: Agent;
  let workerStaff: BuiltStaff;
  let referralId: string;

  const referral = () =>
    t.db.selectFrom('referrals').selectAll().where('id', '=', referralId).executeTakeFirstOrThrow();
  const auditActions = async (subjectId: string) =>
    (
      await t.db
        .selectFrom('audit_events')
        .select('action')
        .where('subject_id', '=', subjectId)
        .orderBy('seq')
        .execute()
    ).map((row) => row.action);

  /** A fresh worker session: each test may move the clock past the last one's idle limit. */
  const signInWorker = async (roles: BuiltStaff['roles'] = ['peer_support_worker']) => {
    const agent = t.agent();
    const staff = await buildStaff(t.db, { organisationId: hostId, roles });
    await signIn(agent, staff, t.clock);
    return { agent, staff };
  };

  before(async () => {
    t = await startTestApp();
    hostId = (await hostOrganisation(t.db)).id;
  });
  after(() => t.close());
  beforeEach(async () => {
    referralId = randomUUID();
    await buildReferral(t.db, {
      id: referralId,
      organisationId: hostId,
      reference: `R${randomUUID()
        .replace(/[^A-HJ-NP-Z2-9]/gi, '')
        .toUpperCase()
        .slice(0, 8)
        .padEnd(8, 'A')}`,
      name: 'Jordan Referred',
      dateOfBirth: '1991-07-14',
      phone: '07700 900123',
    });
    ({ agent: worker, staff: workerStaff } = await signInWorker());
  });

  it('sends a signed-out visitor to sign in, refuses a commissioner, and hides the referral from other organisations', async () => {
    for (const page of TRIAGE_PAGES) {
      const url = `/referrals/${referralId}/${page}`;
      assert.equal((await t.agent().get(url)).status, 303, url);
    }
    const { agent: commissioner } = await signInWorker(['commissioner']);
    for (const page of TRIAGE_PAGES) {
      assert.equal((await commissioner.get(`/referrals/${referralId}/${page}`)).status, 403, page);
    }
    // A partner who may read referrals under an agreement still may not triage them: 404, like a missing one.
    const partner = await buildOrganisation(t.db, { kind: 'nhs_trust' });
    await buildAgreement(t.db, [
      { organisationId: hostId, categories: [] },
      { organisationId: partner.id, categories: ['referrals'] },
    ]);
    const partnerAgent = t.agent();
    await signIn(
      partnerAgent,
      await buildStaff(t.db, { organisationId: partner.id, roles: ['care_coordinator'] }),
      t.clock,
    );
    assert.equal((await partnerAgent.get(`/referrals/${referralId}`)).status, 200);
    assert.doesNotMatch((await partnerAgent.get(`/referrals/${referralId}`)).body, /Record the outcome/);
    for (const page of TRIAGE_PAGES) {
      const hidden = await partnerAgent.get(`/referrals/${referralId}/${page}`);
      const missing = await partnerAgent.get(`/referrals/${MISSING_ID}/${page}`);
      assert.equal(hidden.status, 404, page);
      assert.equal(withoutPerResponseValues(hidden.body), withoutPerResponseValues(missing.body));
    }
    const posted = await partnerAgent.post(`/referrals/${referralId}/outcome`, {
      outcome: 'declined',
      reason: 'Not for us',
      version: 1,
    });
    assert.equal(posted.status, 404);
    assert.equal((await referral()).status, 'new');
  });

  it('shows the person’s communication needs where the worker contacts them', async () => {
    const needs = randomUUID();
    await buildReferral(t.db, {
      id: needs,
      organisationId: hostId,
      reference: 'RNEEDS234',
      communicationNeeds: ['easy_read', 'phone_first'],
      safeToLeaveMessage: false,
    });
    for (const page of ['contact-attempts/new', 'welcome']) {
      const response = await worker.get(`/referrals/${needs}/${page}`);
      assert.match(response.body, /Communication needs/, page);
      assert.match(response.body, /Send information in Easy Read/, page);
      assert.match(response.body, /Do not leave a voicemail or text message: it is not safe/, page);
    }
    const none = await worker.get(`/referrals/${referralId}/contact-attempts/new`);
    assert.doesNotMatch(none.body, /Communication needs/);
  });

  it('logs a contact attempt, moves a new referral on, and records who and when', async () => {
    const empty = await worker.post(`/referrals/${referralId}/contact-attempts/new`, { version: 1 });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /<a href="#channel">Select how you tried to contact them<\/a>/);
    assert.match(empty.body, /<a href="#outcome">Select what happened<\/a>/);

    const tooLong = await worker.post(`/referrals/${referralId}/contact-attempts/new`, {
      channel: 'phone',
      outcome: 'no_answer',
      note: 'x'.repeat(2001),
      version: 1,
    });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body, /Note must be 2,000 characters or fewer/);
    assert.match(tooLong.body, /value="phone" checked/);

    const saved = await worker.post(`/referrals/${referralId}/contact-attempts/new`, {
      channel: 'phone',
      outcome: 'no_answer',
      note: 'Try after 2pm',
      version: 1,
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, `/referrals/${referralId}`);
    const row = await referral();
    assert.equal(row.status, 'contact_attempted');
    assert.equal(row.version, 2);
    const attempts = await t.db
      .selectFrom('referral_contact_attempts')
      .selectAll()
      .where('referral_id', '=', referralId)
      .execute();
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0]?.staff_id, workerStaff.id);
    assert.equal(attempts[0]?.note, 'Try after 2pm');
    const changes = await t.db
      .selectFrom('referral_status_changes')
      .selectAll()
      .where('referral_id', '=', referralId)
      .execute();
    assert.deepEqual(
      changes.map((c) => [c.from_status, c.to_status, c.staff_id]),
      [['new', 'contact_attempted', workerStaff.id]],
    );
    assert.ok((await auditActions(referralId)).includes('referral.contact_attempt_logged'));

    const page = await worker.get(`/referrals/${referralId}`);
    assert.match(page.body, /Phone call: no answer<br>Try after 2pm/);
    assert.match(page.body, /Status changed to contact attempted/);
  });

  it('refuses a save made from a page someone else has since changed, and keeps their change', async () => {
    const first = await worker.post(`/referrals/${referralId}/contact-attempts/new`, {
      channel: 'text',
      outcome: 'sent',
      version: 1,
    });
    assert.equal(first.status, 303);
    const stale = await worker.post(`/referrals/${referralId}/outcome`, {
      outcome: 'declined',
      reason: 'Does not want support',
      version: 1,
    });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /Someone else changed this record/);
    const row = await referral();
    assert.equal(row.status, 'contact_attempted');
    assert.equal(row.outcome_reason, null);
    // Sending the same form twice saves it once: the second carries the old version.
    const again = await worker.post(`/referrals/${referralId}/contact-attempts/new`, {
      channel: 'text',
      outcome: 'sent',
      version: 1,
    });
    assert.equal(again.status, 409);
    const attempts = await t.db
      .selectFrom('referral_contact_attempts')
      .select('id')
      .where('referral_id', '=', referralId)
      .execute();
    assert.equal(attempts.length, 1);
  });

  it('books the welcome conversation in UK time, refusing times that have passed or make no sense', async () => {
    // The test clock is Monday 2 March 2026, 10am.
    const past = await worker.post(`/referrals/${referralId}/welcome`, {
      'date-day': '1',
      'date-month': '3',
      'date-year': '2026',
      time: '10:00',
      version: 1,
    });
    assert.equal(past.status, 400);
    assert.match(past.body, /must be booked for a time that has not passed yet/);
    assert.match(past.body, /name="date-day"[^>]*value="1"/);

    const impossible = await worker.post(`/referrals/${referralId}/welcome`, {
      'date-day': '31',
      'date-month': '4',
      'date-year': '2026',
      time: '25:00',
      version: 1,
    });
    assert.equal(impossible.status, 400);
    assert.match(impossible.body, /Date of the welcome conversation must be a real date/);

    const badTime = await worker.post(`/referrals/${referralId}/welcome`, {
      'date-day': '2',
      'date-month': '4',
      'date-year': '2026',
      time: 'soon',
      version: 1,
    });
    assert.match(badTime.body, /<a href="#time">Enter a time like 14:30 or 2:30pm<\/a>/);

    const booked = await worker.post(`/referrals/${referralId}/welcome`, {
      'date-day': '2',
      'date-month': '4',
      'date-year': '2026',
      time: '2:30pm',
      version: 1,
    });
    assert.equal(booked.status, 303);
    const row = await referral();
    assert.equal(row.status, 'welcome_booked');
    // 2 April 2026 is in British Summer Time: 2:30pm in the UK is 1:30pm UTC.
    assert.equal(row.welcome_at?.toISOString(), '2026-04-02T13:30:00.000Z');
    assert.match(
      (await worker.get(`/referrals/${referralId}`)).body,
      /Welcome conversation booked for 2 April 2026 at 2:30pm/,
    );
  });

  it('shows people already known side by side, links the one chosen, and audits whose details were shown', async () => {
    const near = await buildMember(t.db, {
      organisationId: hostId,
      legalName: 'Jordon Refered',
      dateOfBirth: '1991-07-14',
      phone: '07700900123',
    });
    await buildMember(t.db, {
      organisationId: hostId,
      legalName: 'Someone Else Entirely',
      dateOfBirth: '1950-01-01',
    });
    const elsewhere = await buildOrganisation(t.db);
    await buildMember(t.db, {
      organisationId: elsewhere.id,
      legalName: 'Jordan Referred',
      dateOfBirth: '1991-07-14',
    });

    const page = await worker.get(`/referrals/${referralId}/person`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Matches on: Name, Date of birth, Phone/);
    assert.match(page.body, /Jordon Refered/);
    assert.doesNotMatch(page.body, /Someone Else Entirely/);
    // Another organisation's person with the very same details is not shown without an agreement.
    assert.equal(page.body.match(/Matches on:/g)?.length, 1);
    const shown = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'member.possible_duplicates_read')
      .where('subject_id', '=', referralId)
      .executeTakeFirstOrThrow();
    assert.deepEqual((shown.details as { memberIds: string[] }).memberIds, [near.id]);

    const none = await worker.post(`/referrals/${referralId}/person`, { version: 1 });
    assert.equal(none.status, 400);
    assert.match(none.body, /Select the person this referral is about, or that this is someone new/);

    const linked = await worker.post(`/referrals/${referralId}/person`, { person: near.id, version: 1 });
    assert.equal(linked.status, 303);
    assert.equal((await referral()).member_id, near.id);
    assert.ok((await auditActions(referralId)).includes('referral.person_linked'));
    // The known person's record is not changed by the referral.
    const member = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', near.id)
      .executeTakeFirstOrThrow();
    assert.equal(member.legal_name, 'Jordon Refered');
    assert.equal(member.version, 1);
  });

  it('creates a new person from the referral when nobody known matches', async () => {
    const created = await worker.post(`/referrals/${referralId}/person`, { person: 'new', version: 1 });
    assert.equal(created.status, 303);
    const memberId = (await referral()).member_id;
    assert.ok(memberId);
    const member = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    assert.equal(member.legal_name, 'Jordan Referred');
    assert.equal(member.date_of_birth, '1991-07-14');
    assert.equal(member.organisation_id, hostId);
    assert.deepEqual(await auditActions(memberId), ['member.created']);
  });

  it('needs a reason to decline or withdraw, a destination to signpost, and the person linked to accept', async () => {
    const cases = [
      [{ outcome: 'declined' }, 'reason', 'Enter why the referral is being declined'],
      [{ outcome: 'withdrawn', reason: '   ' }, 'reason', 'Enter why the referral is being withdrawn'],
      [{ outcome: 'signposted' }, 'where', 'Enter where the person has been signposted to'],
      [
        { outcome: 'accepted' },
        'outcome',
        'Check whether this person is already known before accepting the referral',
      ],
      [{}, 'outcome', 'Select the outcome'],
      [
        {
          outcome: 'declined',
          reason: 'x',
          'anticipatedEnd-day': '1',
          'anticipatedEnd-month': '6',
          'anticipatedEnd-year': '2026',
        },
        'anticipatedEnd',
        'Only give an expected end of support when accepting the referral',
      ],
    ] as const;
    for (const [fields, field, message] of cases) {
      const response = await worker.post(`/referrals/${referralId}/outcome`, { ...fields, version: 1 });
      assert.equal(response.status, 400, message);
      assert.ok(response.body.includes(`<a href="#${field}">${message}</a>`), message);
    }
    const row = await referral();
    assert.equal(row.status, 'new');
    assert.equal(row.version, 1);
  });

  it('signposts with where and why, and then the referral cannot change again', async () => {
    const signposted = await worker.post(`/referrals/${referralId}/outcome`, {
      outcome: 'signposted',
      where: 'Eastwold Talking Therapies',
      version: 1,
    });
    assert.equal(signposted.status, 303);
    const row = await referral();
    assert.equal(row.status, 'signposted');
    assert.equal(row.outcome_where, 'Eastwold Talking Therapies');
    assert.equal(row.outcome_reason, 'Another service can help better');
    assert.ok(row.closed_at);
    const page = await worker.get(`/referrals/${referralId}`);
    assert.match(
      page.body,
      /Signposted to<\/dt><dd class="nhsuk-summary-list__value">Eastwold Talking Therapies/,
    );
    assert.doesNotMatch(page.body, /Record the outcome/);

    const later = await worker.post(`/referrals/${referralId}/contact-attempts/new`, {
      channel: 'phone',
      outcome: 'spoke',
      version: row.version,
    });
    assert.equal(later.status, 400);
    assert.match(later.body, /This referral is closed/);
  });

  it('accepts a referral into an episode of support with the worker as key worker', async () => {
    await worker.post(`/referrals/${referralId}/person`, { person: 'new', version: 1 });
    const pastEnd = await worker.post(`/referrals/${referralId}/outcome`, {
      outcome: 'accepted',
      'anticipatedEnd-day': '1',
      'anticipatedEnd-month': '1',
      'anticipatedEnd-year': '2026',
      version: 2,
    });
    assert.equal(pastEnd.status, 400);
    assert.match(pastEnd.body, /Expected end of support must be today or in the future/);

    const accepted = await worker.post(`/referrals/${referralId}/outcome`, {
      outcome: 'accepted',
      'anticipatedEnd-day': '31',
      'anticipatedEnd-month': '8',
      'anticipatedEnd-year': '2026',
      version: 2,
    });
    assert.equal(accepted.status, 303);
    const row = await referral();
    assert.equal(row.status, 'accepted');
    assert.equal(row.outcome_reason, 'Support started');
    const episode = await t.db
      .selectFrom('episodes')
      .selectAll()
      .where('id', '=', row.episode_id!)
      .executeTakeFirstOrThrow();
    assert.equal(episode.member_id, row.member_id);
    assert.equal(episode.status, 'active');
    assert.equal(episode.started_on, '2026-03-02');
    assert.equal(episode.anticipated_end_on, '2026-08-31');
    assert.equal(episode.continues_episode_id, null);
    const keyWorkers = await t.db
      .selectFrom('episode_key_workers')
      .select('staff_id')
      .where('episode_id', '=', episode.id)
      .execute();
    assert.deepEqual(
      keyWorkers.map((k) => k.staff_id),
      [workerStaff.id],
    );
    assert.deepEqual(await auditActions(episode.id), ['episode.started']);
    assert.ok((await auditActions(referralId)).includes('referral.accepted'));
  });

  it('picks up where a person left off when they come back within the door-open period', async () => {
    const member = await buildMember(t.db, {
      organisationId: hostId,
      legalName: 'Jordan Referred',
      dateOfBirth: '1991-07-14',
    });
    const earlierKeyWorker = await buildStaff(t.db, {
      organisationId: hostId,
      roles: ['senior_peer_support_worker'],
    });
    const earlier = randomUUID();
    await t.db
      .insertInto('episodes')
      .values({
        id: earlier,
        member_id: member.id,
        organisation_id: hostId,
        service_id: null,
        status: 'discharged',
        started_on: '2025-09-01',
        anticipated_end_on: null,
        review_on: null,
        discharged_on: '2026-02-02',
        discharge_reason: 'Support goals met',
        created_at: new Date('2025-09-01T09:00:00Z'),
        updated_at: new Date('2026-02-02T09:00:00Z'),
      })
      .execute();
    await t.db
      .insertInto('episode_key_workers')
      .values({ episode_id: earlier, staff_id: earlierKeyWorker.id })
      .execute();

    await worker.post(`/referrals/${referralId}/person`, { person: member.id, version: 1 });
    const accepted = await worker.post(`/referrals/${referralId}/outcome`, {
      outcome: 'accepted',
      version: 2,
    });
    assert.equal(accepted.status, 303);
    const episode = await t.db
      .selectFrom('episodes')
      .selectAll()
      .where('member_id', '=', member.id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    assert.equal(episode.continues_episode_id, earlier);
    const keyWorkers = await t.db
      .selectFrom('episode_key_workers')
      .select('staff_id')
      .where('episode_id', '=', episode.id)
      .execute();
    assert.deepEqual(keyWorkers.map((k) => k.staff_id).sort(), [workerStaff.id, earlierKeyWorker.id].sort());
  });
});

describe('the referral inbox filters', () => {
  let t: TestApp;
  let worker: Agent;
  before(async () => {
    t = await startTestApp();
    const host = await hostOrganisation(t.db);
    const base = {
      organisationId: host.id,
      receivedAt: new Date('2026-01-05T09:00:00Z'),
      firstContactDue: '2026-01-12',
    };
    await buildReferral(t.db, { ...base, reference: 'RAAAAAAA2', name: 'Old Waiting' });
    await buildReferral(t.db, {
      ...base,
      reference: 'RBBBBBBB2',
      name: 'Recent From GP',
      source: 'gp',
      referrerName: 'Dr Example',
      receivedAt: new Date('2026-02-27T09:00:00Z'),
      firstContactDue: '2026-03-06',
    });
    const closedId = randomUUID();
    await buildReferral(t.db, {
      ...base,
      id: closedId,
      reference: 'RCCCCCCC2',
      receivedAt: new Date('2026-01-06T09:00:00Z'),
      name: 'Already Withdrawn',
    });
    await t.db
      .updateTable('referrals')
      .set({ status: 'withdrawn', outcome_reason: 'Moved away', closed_at: new Date('2026-01-20T09:00:00Z') })
      .where('id', '=', closedId)
      .execute();
    worker = t.agent();
    await signIn(
      worker,
      await buildStaff(t.db, { organisationId: host.id, roles: ['peer_support_worker'] }),
      t.clock,
    );
  });
  after(() => t.close());

  const references = (html: string) => [...html.matchAll(/>(R[A-Z2-9]{8})<\/a>/g)].map((m) => m[1]);

  it('shows open referrals by default, longest waiting first', async () => {
    assert.deepEqual(references((await worker.get('/referrals')).body), ['RAAAAAAA2', 'RBBBBBBB2']);
  });

  it('narrows by status, source, age and overdue', async () => {
    assert.deepEqual(references((await worker.get('/referrals?status=closed')).body), ['RCCCCCCC2']);
    assert.deepEqual(references((await worker.get('/referrals?status=all')).body), [
      'RAAAAAAA2',
      'RCCCCCCC2',
      'RBBBBBBB2',
    ]);
    assert.deepEqual(references((await worker.get('/referrals?source=gp')).body), ['RBBBBBBB2']);
    assert.deepEqual(references((await worker.get('/referrals?age=week')).body), ['RBBBBBBB2']);
    assert.deepEqual(references((await worker.get('/referrals?age=older')).body), ['RAAAAAAA2']);
    const overdue = await worker.get('/referrals?overdue=yes');
    assert.deepEqual(references(overdue.body), ['RAAAAAAA2']);
    assert.match(overdue.body, /value="yes" checked/);
  });

  it('ignores filters it does not recognise rather than failing', async () => {
    const odd = await worker.get('/referrals?status=nonsense&source=%3Cscript%3E&service=1&age=x');
    assert.equal(odd.status, 200);
    assert.deepEqual(references(odd.body), ['RAAAAAAA2', 'RBBBBBBB2']);
  });
});
