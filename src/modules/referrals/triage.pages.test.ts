import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { MISSING_ID, withoutPerResponseValues } from '../../testing/builders/partnership.ts';
import { buildReferral } from '../../testing/builders/referrals.ts';
import { buildAgreement, buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import { signIn, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

describe('the referral inbox', () => {
  let t: TestApp;
  let referralId: string;
  let worker: Agent;
  before(async () => {
    t = await startTestApp();
    const host = await hostOrganisation(t.db);
    referralId = randomUUID();
    // Received on Monday 2 March 2026: first contact is due within 5 working days, by Monday 9 March.
    await buildReferral(t.db, {
      id: referralId,
      organisationId: host.id,
      preferredName: 'Jo',
      email: 'jo@example.org',
      contactMethods: ['phone', 'text'],
      safeToLeaveMessage: false,
      bestTimes: 'Mornings',
      communicationNeeds: ['easy_read'],
      nhsNumber: '9434765919',
      gpPractice: 'Harbour Surgery',
    });
    worker = t.agent();
    await signIn(
      worker,
      await buildStaff(t.db, { organisationId: host.id, roles: ['peer_support_worker'] }),
      t.clock,
    );
  });
  after(() => t.close());

  it('sends a signed-out visitor to sign in, and refuses a commissioner (aggregates only)', async () => {
    for (const url of ['/referrals', `/referrals/${referralId}`]) {
      assert.equal((await t.agent().get(url)).status, 303, url);
    }
    const commissioner = t.agent();
    const host = await hostOrganisation(t.db);
    await signIn(
      commissioner,
      await buildStaff(t.db, { organisationId: host.id, roles: ['commissioner'] }),
      t.clock,
    );
    for (const url of ['/referrals', `/referrals/${referralId}`]) {
      assert.equal((await commissioner.get(url)).status, 403, url);
    }
  });

  it('lists the organisation’s referrals with the first-contact date, and marks them overdue once it has passed', async () => {
    const onTime = await worker.get('/referrals');
    assert.equal(onTime.status, 200);
    assert.match(onTime.body, /RTESTAB23<\/a><\/td><td class="nhsuk-table__cell">Jordan Referred</);
    assert.match(onTime.body, /9 March 2026/);
    assert.doesNotMatch(onTime.body, /Overdue/);
    t.clock.advance(8 * 24 * 3600 * 1000); // Tuesday 10 March 2026
    try {
      // A week later: a fresh sign-in, since the first session has long passed its idle limit.
      const host = await hostOrganisation(t.db);
      const nextWeek = t.agent();
      await signIn(
        nextWeek,
        await buildStaff(t.db, { organisationId: host.id, roles: ['peer_support_worker'] }),
        t.clock,
      );
      const late = await nextWeek.get('/referrals');
      assert.match(late.body, /9 March 2026\s?<strong class="nhsuk-tag nhsuk-tag--red">Overdue<\/strong>/);
      const page = await nextWeek.get(`/referrals/${referralId}`);
      assert.match(page.body, /First contact is overdue/);
    } finally {
      t.clock.advance(-8 * 24 * 3600 * 1000);
    }
  });

  it('shows a referral’s answers and records every read in the audit trail', async () => {
    const page = await worker.get(`/referrals/${referralId}`);
    assert.equal(page.status, 200);
    for (const text of [
      'Referral RTESTAB23',
      'I have been feeling low.',
      'Phone call, Text message',
      'Easy Read',
      'Harbour Surgery',
    ]) {
      assert.ok(page.body.includes(text), text);
    }
    const reads = await t.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type'])
      .where('subject_type', '=', 'Referral')
      .where('subject_id', '=', referralId)
      .execute();
    assert.ok(reads.some((r) => r.action === 'referral.read' && r.actor_type === 'staff'));
    const lists = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'referral.list_read')
      .execute();
    assert.ok(lists.length >= 1);
  });

  it('keeps referrals from another organisation out of sight unless an agreement shares them', async () => {
    const partner = await buildOrganisation(t.db, { kind: 'nhs_trust' });
    const partnerWorker = t.agent();
    await signIn(
      partnerWorker,
      await buildStaff(t.db, { organisationId: partner.id, roles: ['care_coordinator'] }),
      t.clock,
    );
    const list = await partnerWorker.get('/referrals');
    assert.doesNotMatch(list.body, /RTESTAB23|Jordan Referred/);
    const hidden = await partnerWorker.get(`/referrals/${referralId}`);
    const missing = await partnerWorker.get(`/referrals/${MISSING_ID}`);
    assert.equal(hidden.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(withoutPerResponseValues(hidden.body), withoutPerResponseValues(missing.body));
    assert.equal((await partnerWorker.get('/referrals/not-an-id')).status, 404);

    const host = await hostOrganisation(t.db);
    await buildAgreement(t.db, [
      { organisationId: host.id, categories: [] },
      { organisationId: partner.id, categories: ['referrals'] },
    ]);
    const shared = t.agent();
    await signIn(
      shared,
      await buildStaff(t.db, { organisationId: partner.id, roles: ['care_coordinator'] }),
      t.clock,
    );
    assert.match((await shared.get('/referrals')).body, /RTESTAB23/);
    assert.equal((await shared.get(`/referrals/${referralId}`)).status, 200);
  });
});
