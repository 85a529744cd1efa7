import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { notifySmsTransport } from '../../platform/notify/notify-sms-transport.ts';
import {
  startNotifyTestServer,
  TEST_NOTIFY_KEY,
  type NotifyTestServer,
} from '../../platform/notify/notify-test-server.ts';
import {
  deliverDue,
  registerTemplates,
  smtpTransport,
  type OutboxTransports,
} from '../../platform/outbox/outbox.ts';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import { buildPlan, planContent, setPlanSharing } from '../../testing/builders/plans.ts';
import { startMailServer, type MailServer } from '../../testing/mail-server.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/test-db.ts';
import { initialsOf, queuePlanReviewReminders } from './plan-review-reminders.ts';
import { reminderTemplates } from './reminder-templates.ts';
import { startReminderRounds } from './reminders.service.ts';

// Each test has a week of its own, so one test's plans are never in another's round: the round
// looks at every plan. Tuesday 5 January 2027, 10:00 in the UK (GMT, so also 10:00 UTC) is a week
// before Tuesday 12 January.
const now = new Date('2027-01-05T10:00:00Z');
const aWeekOn = '2027-01-12';
const savedEarlier = new Date('2026-12-01T09:00:00Z');
type PlanKind = NonNullable<Parameters<typeof buildPlan>[3]>;
const clock = { now: () => savedEarlier };
const templates = registerTemplates(reminderTemplates());

describe('plan review reminders', () => {
  let t: TestDatabase;
  let mail: MailServer;
  let notify: NotifyTestServer;
  let organisationId: string;
  let worker: BuiltStaff;

  const transports = (): OutboxTransports => ({
    email: smtpTransport(mail.url, 'Service <no-reply@example.org>'),
    sms: notifySmsTransport({
      apiKey: TEST_NOTIFY_KEY.apiKey,
      templateId: '6a1f7a52-4b8e-4d0c-9f3a-2e5b7c9d1f30',
      baseUrl: notify.url,
    }),
  });
  const deliver = async (at: Date) => {
    const using = transports();
    const result = await deliverDue(t.db, using, templates, at);
    using.email?.close();
    return result;
  };

  /** A member being supported (an active episode with the given key workers). */
  async function supportedMember(
    overrides: Partial<Parameters<typeof buildMember>[1]>,
    keyWorkerIds: string[] = [worker.id],
  ) {
    const member = await buildMember(t.db, { organisationId, legalName: 'Rowan Testperson', ...overrides });
    await buildEpisode(t.db, { memberId: member.id, organisationId, keyWorkerIds });
    return member;
  }

  /**
   * Saves a new version of a plan with a review date, straight in the database as if saved earlier
   * (the plans builder's first version has no review date).
   */
  async function saveVersion(planId: string, kind: PlanKind, reviewOn: string | null, at: Date) {
    const plan = await t.db
      .selectFrom('plans')
      .select('current_version')
      .where('id', '=', planId)
      .executeTakeFirstOrThrow();
    const number = plan.current_version + 1;
    await t.db
      .insertInto('plan_versions')
      .values({
        plan_id: planId,
        number,
        based_on: number - 1,
        content: JSON.stringify(planContent(kind, { [firstField(kind)]: `Version ${number}` }, reviewOn)),
        summary: `Version ${number}`,
        saved_by_kind: 'member',
        saved_by_staff_id: null,
        saved_by_role: 'member',
        how: 'member_edit',
        proposal_id: null,
        created_at: at,
      })
      .execute();
    await t.db.updateTable('plans').set({ current_version: number }).where('id', '=', planId).execute();
  }

  const firstField = (kind: PlanKind) => Object.keys(planContent(kind).fields)[0] ?? 'notes';

  /** A plan of a member's, reviewed on a day, its latest version saved well before the reminder. */
  async function planReviewedOn(
    member: { id: string; organisationId: string },
    reviewOn: string,
    kind: PlanKind = 'resource_and_support',
  ) {
    const planId = await buildPlan(t.db, clock, member, kind);
    await saveVersion(planId, kind, reviewOn, savedEarlier);
    return planId;
  }

  async function discharge(episodeId: string, on: string) {
    await t.db
      .updateTable('episodes')
      .set({ status: 'discharged', discharged_on: on, discharge_reason: 'Support finished' })
      .where('id', '=', episodeId)
      .execute();
  }

  const outbox = () =>
    t.db
      .selectFrom('outbox_messages')
      .select(['dedupe_key', 'channel', 'recipient', 'template'])
      .orderBy('dedupe_key')
      .execute();

  before(async () => {
    t = await createTestDatabase();
    mail = await startMailServer();
    notify = await startNotifyTestServer(TEST_NOTIFY_KEY);
    worker = await buildStaff(t.db, { email: 'key.worker@example.org' });
    organisationId = worker.organisationId;
  });
  after(async () => {
    await notify.close();
    await mail.close();
    await t.drop();
  });
  beforeEach(async () => {
    mail.received.length = 0;
    notify.accepted.length = 0;
    await t.db.deleteFrom('outbox_messages').execute();
  });

  it('a week ahead, reminds the member by their channel and emails their key worker, each once, with no name or health detail', async () => {
    const member = await supportedMember({ contactMethods: ['text'], phone: '07700 900101' });
    const planId = await planReviewedOn(member, aWeekOn);

    assert.equal(
      await queuePlanReviewReminders(t.db, new Date('2027-01-04T10:00:00Z')),
      0,
      'more than a week ahead',
    );
    assert.equal(
      await queuePlanReviewReminders(t.db, now, { publicUrl: 'https://alongside.example.org' }),
      2,
    );
    assert.equal(await queuePlanReviewReminders(t.db, now), 0, 'once only');
    assert.equal(
      await queuePlanReviewReminders(t.db, new Date('2027-01-06T10:00:00Z')),
      0,
      'not again next day',
    );

    assert.deepEqual(
      (await outbox()).map((m) => [m.dedupe_key, m.channel, m.recipient]),
      [
        [`plan-review:${planId}:${aWeekOn}:member`, 'sms', '07700 900101'],
        [`plan-review:${planId}:${aWeekOn}:staff:${worker.id}`, 'email', 'key.worker@example.org'],
      ],
    );

    assert.deepEqual(await deliver(now), { sent: 2, failed: 0 });
    assert.deepEqual(
      notify.accepted.map((sms) => [sms.phoneNumber, sms.personalisation.message]),
      [
        [
          '07700 900101',
          'It is nearly time to look at your support plan together, by Tuesday 12 January. Sign in to see it, or talk to your worker.',
        ],
      ],
    );
    assert.equal(mail.received.length, 1);
    const email = mail.received[0];
    assert.deepEqual(email?.to, ['key.worker@example.org']);
    assert.equal(email?.subject, 'A plan is due for review on Tuesday 12 January');
    assert.match(
      email?.text ?? '',
      /^The Resource and Support Plan of a person you support \(R\.T\.\) is due for review on Tuesday 12 January\./,
    );
    assert.ok(
      email?.text.includes(`https://alongside.example.org/members/${member.id}/plans/${planId}`),
      'links to the plan page, which asks the worker to sign in',
    );
    for (const text of [notify.accepted[0]?.personalisation.message ?? '', email?.text ?? '']) {
      assert.doesNotMatch(text, /Rowan|Testperson|Version|mental|crisis/i);
    }

    const audits = await t.db
      .selectFrom('audit_events')
      .select(['subject_id', 'actor_type', 'details'])
      .where('action', '=', 'member.plan_review_reminder_queued')
      .where('subject_id', '=', member.id)
      .execute();
    assert.equal(audits.length, 2);
    assert.ok(audits.every((a) => a.actor_type === 'system'));
  });

  it('never names a safety plan or an advance statement to the member, and uses neutral words when it is not safe to leave a message', async () => {
    const at = new Date('2027-03-02T10:00:00Z');
    const reviewOn = '2027-03-09';
    const safetyMember = await supportedMember({ contactMethods: ['text'], phone: '07700 900201' });
    await planReviewedOn(safetyMember, reviewOn, 'safety');
    const statementMember = await supportedMember({ contactMethods: ['text'], phone: '07700 900202' });
    await planReviewedOn(statementMember, reviewOn, 'advance_statement');
    const notSafe = await supportedMember({
      contactMethods: ['email'],
      email: 'notsafe@example.org',
      safeToLeaveMessage: false,
    });
    await planReviewedOn(notSafe, reviewOn);
    const notAsked = await supportedMember({
      contactMethods: ['text'],
      phone: '07700 900203',
      safeToLeaveMessage: null,
    });
    await planReviewedOn(notAsked, reviewOn, 'goal');

    assert.equal(await queuePlanReviewReminders(t.db, at), 8);
    await deliver(at);
    const neutral =
      'It is nearly time to look at your plan together, by Tuesday 9 March. Sign in to see it, or talk to your worker.';
    assert.deepEqual(
      notify.accepted.map((sms) => sms.personalisation.message),
      [neutral, neutral, neutral],
      'a safety plan or advance statement is "your plan" even when safe to leave a message; a goal is not named when nobody asked',
    );
    const toMember = mail.received.find((m) => m.to[0] === 'notsafe@example.org');
    assert.equal(toMember?.subject, 'Time to look at your plan together');
    assert.ok(toMember?.text.startsWith(neutral));
    const toWorker = mail.received.filter((m) => m.to[0] === 'key.worker@example.org');
    assert.equal(toWorker.length, 4);
    assert.ok(
      toWorker.some((m) => m.text.startsWith('The safety plan of a person you support (R.T.) is due')),
      'the worker, at their work address, is told which plan',
    );
    assert.ok(
      toWorker.every((m) => m.text.includes('Sign in to see it.') && !m.text.includes('http')),
      'no link without the public address',
    );
  });

  it('sends nothing to a member without consent or a way to reach them, or who is no longer supported', async () => {
    const at = new Date('2027-03-16T10:00:00Z');
    const reviewOn = '2027-03-23';
    const noDetails = await supportedMember({ contactMethods: ['text'], phone: null });
    const phoneOnly = await supportedMember({ contactMethods: ['phone'], phone: '07700 900301' });
    const refused = await supportedMember({ contactMethods: ['text'], phone: '07700 900302' });
    await t.db
      .insertInto('member_consents')
      .values({
        id: randomUUID(),
        member_id: refused.id,
        about: 'Reminders by text',
        with_whom: 'The service',
        given: true,
        recorded_at: savedEarlier,
        recorded_by: worker.id,
        withdrawn_at: new Date('2026-12-10T09:00:00Z'),
        withdrawn_by: worker.id,
      })
      .execute();
    const discharged = await buildMember(t.db, {
      organisationId,
      contactMethods: ['text'],
      phone: '07700 900303',
    });
    const episode = await buildEpisode(t.db, {
      memberId: discharged.id,
      organisationId,
      keyWorkerIds: [worker.id],
    });
    await discharge(episode.id, '2026-12-20');
    const plans: string[] = [];
    for (const member of [noDetails, phoneOnly, refused, discharged]) {
      plans.push(await planReviewedOn(member, reviewOn));
    }

    assert.equal(await queuePlanReviewReminders(t.db, at), 3, 'the key worker of those still supported only');
    const queued = await outbox();
    assert.deepEqual(
      queued.map((m) => m.recipient),
      ['key.worker@example.org', 'key.worker@example.org', 'key.worker@example.org'],
    );
    assert.ok(!queued.some((m) => m.dedupe_key.includes(plans[3] ?? 'missing')));
  });

  it('emails only the key workers of active episodes who may see the plan, and none when the member does not share it', async () => {
    const at = new Date('2027-06-01T10:00:00+01:00');
    const reviewOn = '2027-06-08';
    const other = await buildStaff(t.db, { organisationId, email: 'other.worker@example.org' });
    const ended = await buildStaff(t.db, { organisationId, email: 'ended.worker@example.org' });
    const admin = await buildStaff(t.db, {
      organisationId,
      email: 'admin@example.org',
      roles: ['administrator'],
    });
    const member = await buildMember(t.db, {
      organisationId,
      contactMethods: ['text'],
      phone: '07700 900401',
    });
    const old = await buildEpisode(t.db, {
      memberId: member.id,
      organisationId,
      startedOn: '2025-01-06',
      keyWorkerIds: [ended.id],
    });
    await discharge(old.id, '2025-06-30');
    await buildEpisode(t.db, {
      memberId: member.id,
      organisationId,
      keyWorkerIds: [worker.id, other.id, admin.id],
    });
    await planReviewedOn(member, reviewOn);
    const privateMember = await supportedMember({ contactMethods: ['text'], phone: '07700 900402' });
    const privatePlan = await planReviewedOn(privateMember, reviewOn);
    await setPlanSharing(t.db, privatePlan, { team: false, partner: false });

    assert.equal(await queuePlanReviewReminders(t.db, at), 4);
    assert.deepEqual((await outbox()).map((m) => m.recipient).sort(), [
      '07700 900401',
      '07700 900402',
      'key.worker@example.org',
      'other.worker@example.org',
    ]);
  });

  it('reminds from a week ahead until the day after the review date, in the daytime, and not once the plan was looked at', async () => {
    // Tuesday 2 February 2027.
    const at = new Date('2027-02-02T10:00:00Z');
    const reviewOn = async (day: string) =>
      planReviewedOn(await supportedMember({ contactMethods: ['text'], phone: '07700 900501' }, []), day);
    const yesterday = await reviewOn('2027-02-01');
    const today = await reviewOn('2027-02-02');
    const inThreeDays = await reviewOn('2027-02-05');
    await reviewOn('2027-01-31');
    await reviewOn('2027-02-10');

    // Looked at since the reminder's day (29 January), keeping the same date: no reminder.
    const lookedAt = await supportedMember({ contactMethods: ['text'], phone: '07700 900502' }, []);
    const lookedAtPlan = await planReviewedOn(lookedAt, '2027-02-05');
    await saveVersion(lookedAtPlan, 'resource_and_support', '2027-02-05', new Date('2027-01-30T11:00:00Z'));
    // The version that set a date three days ahead is not a review of it: reminded.
    const setLate = await supportedMember({ contactMethods: ['text'], phone: '07700 900503' }, []);
    const setLatePlan = await buildPlan(t.db, clock, setLate, 'resource_and_support');
    await saveVersion(setLatePlan, 'resource_and_support', '2027-02-05', new Date('2027-02-02T09:30:00Z'));

    assert.equal(
      await queuePlanReviewReminders(t.db, new Date('2027-02-02T08:59:00Z')),
      0,
      'before 9 in the morning',
    );
    assert.equal(
      await queuePlanReviewReminders(t.db, new Date('2027-02-02T20:00:00Z')),
      0,
      'from 8 in the evening',
    );
    assert.equal(await queuePlanReviewReminders(t.db, at), 4);
    assert.deepEqual(
      (await outbox()).map((m) => m.dedupe_key).sort(),
      [
        `plan-review:${yesterday}:2027-02-01:member`,
        `plan-review:${today}:2027-02-02:member`,
        `plan-review:${inThreeDays}:2027-02-05:member`,
        `plan-review:${setLatePlan}:2027-02-05:member`,
      ].sort(),
    );

    // The review sets the next date: a new wait, and its own reminder a week before, in summer time.
    await saveVersion(inThreeDays, 'resource_and_support', '2027-05-06', new Date('2027-02-05T10:00:00Z'));
    assert.equal(
      await queuePlanReviewReminders(t.db, new Date('2027-04-29T08:30:00+01:00')),
      0,
      'before 9 in the morning, UK summer time',
    );
    // 09:00 in the UK is 08:00 UTC in summer.
    assert.equal(await queuePlanReviewReminders(t.db, new Date('2027-04-29T09:00:00+01:00')), 1);
    assert.ok((await outbox()).some((m) => m.dedupe_key === `plan-review:${inThreeDays}:2027-05-06:member`));
  });

  it('queues each reminder once when two rounds run at the same moment', async () => {
    const at = new Date('2027-07-06T10:00:00+01:00');
    const reviewOn = '2027-07-13';
    const memberIds: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const member = await supportedMember({
        contactMethods: ['text'],
        phone: `07700 9006${String(i).padStart(2, '0')}`,
      });
      memberIds.push(member.id);
      await planReviewedOn(member, reviewOn);
    }
    const [first, second] = await Promise.all([
      queuePlanReviewReminders(t.db, at),
      queuePlanReviewReminders(t.db, at),
    ]);
    assert.equal((first ?? 0) + (second ?? 0), 16, 'a member text and a worker email each, between them');
    const keys = (await outbox()).map((m) => m.dedupe_key);
    assert.equal(keys.length, 16);
    assert.equal(new Set(keys).size, 16);
    const audits = await t.db
      .selectFrom('audit_events')
      .select('subject_id')
      .where('action', '=', 'member.plan_review_reminder_queued')
      .where('subject_id', 'in', memberIds)
      .execute();
    assert.equal(audits.length, 16, 'each queued message audited once');
  });

  it('runs in the reminder round the app starts in the background', async () => {
    const at = new Date('2027-08-03T10:00:00+01:00');
    const member = await supportedMember({ contactMethods: ['email'], email: 'round@example.org' });
    const planId = await planReviewedOn(member, '2027-08-10');
    let woken: () => void = () => undefined;
    const wakes = new Promise<void>((resolve) => {
      woken = resolve;
    });
    const rounds = startReminderRounds({
      db: t.db,
      now: () => at,
      afterQueueing: () => woken(),
      onError: (error) => assert.fail(String(error)),
      intervalMs: 10,
      publicUrl: 'https://alongside.example.org',
    });
    await wakes;
    await rounds.stop();
    assert.deepEqual(
      (await outbox()).map((m) => [m.dedupe_key, m.recipient]),
      [
        [`plan-review:${planId}:2027-08-10:member`, 'round@example.org'],
        [`plan-review:${planId}:2027-08-10:staff:${worker.id}`, 'key.worker@example.org'],
      ],
    );
  });

  it('makes initials from the name the person goes by and their family name', () => {
    assert.equal(initialsOf('Rowan Testperson', null), 'R.T.');
    assert.equal(initialsOf('Alexandra Jane Example', 'Sasha'), 'S.E.');
    assert.equal(initialsOf('Prince', null), 'P.');
  });
});
