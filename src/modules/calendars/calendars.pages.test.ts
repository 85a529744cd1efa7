import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { buildStaff, type BuiltStaff } from '../../testing/builders/accounts.ts';
import { buildGroup, buildSession, buildVenue } from '../../testing/builders/groups.ts';
import { buildMember } from '../../testing/builders/members.ts';
import { buildOrganisation, hostOrganisation } from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  MISSING_ID,
  type Page,
} from '../../testing/builders/partnership.ts';
import { signedInAgent, startTestApp, type Agent, type TestApp } from '../../testing/test-app.ts';

/** The test clock starts on Monday 2 March 2026 at 10:00 UK time (GMT). */
const tuesday = (hour: number) => new Date(Date.UTC(2026, 2, 3, hour, 0));

/** Parses a calendar file with ical.js (an independent parser) into its events, by UID. */
function parseEvents(body: string) {
  const calendar = new ICAL.Component(ICAL.parse(body) as unknown[]);
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      description: event.description,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      startIsUtc: event.startDate.zone?.tzid === 'UTC',
      status: String(vevent.getFirstPropertyValue('status')),
      sequence: Number(vevent.getFirstPropertyValue('sequence') ?? 0),
      url: String(vevent.getFirstPropertyValue('url') ?? ''),
    };
  });
  return { calendar, events: new Map(events.map((e) => [e.uid, e])) };
}

const addressIn = (body: string, kind: 'staff' | 'groups') =>
  new RegExp(`https://support\\.example\\.org(/calendars/${kind}/[A-Za-z0-9_-]{43}\\.ics)`).exec(body)?.[1];

describe('calendar feeds', () => {
  let t: TestApp;
  /** Fetches a feed as a calendar program does: no cookies, and the body exactly as sent. */
  const fetchFeed = async (url: string, app: TestApp = t) => {
    const response = await app.app.inject({ method: 'GET', url });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  };
  let facilitatorStaff: BuiltStaff;
  let facilitator: Agent;
  let manager: Agent;
  let commissioner: Agent;
  let stranger: Agent;
  let groupId: string;
  let strangerGroupId: string;
  let held: string;
  let cancelled: string;
  let online: string;
  let contactId: string;
  let memberId: string;

  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://support.example.org' } });
    const own = await hostOrganisation(t.db);
    const other = await buildOrganisation(t.db, { name: 'Unrelated Trust' });
    facilitatorStaff = await buildStaff(t.db, { organisationId: own.id, roles: ['peer_support_worker'] });
    facilitator = await signedInAgent(t, facilitatorStaff);
    manager = await signedInAgent(
      t,
      await buildStaff(t.db, { organisationId: own.id, roles: ['service_manager'] }),
    );
    commissioner = await signedInAgent(
      t,
      await buildStaff(t.db, { organisationId: own.id, roles: ['commissioner'] }),
    );
    stranger = await signedInAgent(
      t,
      await buildStaff(t.db, { organisationId: other.id, roles: ['service_manager'] }),
    );
    strangerGroupId = (await buildGroup(t.db, other.id)).id;

    const venue = await buildVenue(t.db, {
      organisationId: own.id,
      name: 'Chatham Library',
      roomName: 'Garden Room',
    });
    groupId = (await buildGroup(t.db, own.id, { name: 'Tuesday Peer Group', type: 'peer_support_group' })).id;
    const facilitators = [{ staffId: facilitatorStaff.id, sessionRole: 'peer_worker' as const }];
    held = await buildSession(t.db, {
      groupId,
      startsAt: tuesday(10),
      endsAt: tuesday(12),
      roomId: venue.roomId,
      facilitators,
    });
    cancelled = await buildSession(t.db, {
      groupId,
      startsAt: tuesday(14),
      endsAt: tuesday(15),
      roomId: venue.roomId,
      facilitators,
    });
    await t.db
      .updateTable('group_sessions')
      .set({ status: 'cancelled', cancel_reason: 'Venue closed', cancelled_at: t.clock.now(), version: 2 })
      .where('id', '=', cancelled)
      .execute();
    online = await buildSession(t.db, {
      groupId,
      startsAt: tuesday(18),
      endsAt: tuesday(19),
      onlineLink: 'https://meet.example.org/secret-room',
      facilitators,
    });
    // A session of the same group that someone else facilitates: in the group's feed, not in theirs.
    await buildSession(t.db, {
      groupId,
      startsAt: new Date(Date.UTC(2026, 2, 10, 10)),
      endsAt: new Date(Date.UTC(2026, 2, 10, 12)),
      roomId: venue.roomId,
    });

    const member = await buildMember(t.db, {
      organisationId: own.id,
      legalName: 'Jordan Smith-Kaur',
      preferredName: 'Jo Smith',
    });
    memberId = member.id;
    contactId = randomUUID();
    await t.db
      .insertInto('contacts')
      .values({
        id: contactId,
        organisation_id: own.id,
        member_id: member.id,
        episode_id: null,
        contact_type: 'crisis_support',
        mode: 'phone',
        occurred_at: new Date(Date.UTC(2026, 2, 4, 11)),
        duration_minutes: 30,
        venue_id: null,
        place: '12 Private Road, Chatham',
        status: 'planned',
        not_happened_reason: null,
        notes: 'Sensitive note about the call',
        submission_key: null,
        recorded_by: facilitatorStaff.id,
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .execute();
    await t.db
      .insertInto('contact_workers')
      .values({ contact_id: contactId, staff_id: facilitatorStaff.id })
      .execute();
  });
  after(() => t.close());

  const ownPages: Page[] = [
    ['GET', '/calendar-feed'],
    ['POST', '/calendar-feed'],
    ['POST', '/calendar-feed/revoke'],
  ];
  const groupPages = (id: string): Page[] => [
    ['GET', `/groups/${id}/calendar-feed`],
    ['POST', `/groups/${id}/calendar-feed`],
    ['POST', `/groups/${id}/calendar-feed/revoke`],
  ];

  it('sends a signed-out visitor to sign in from the feed pages', async () => {
    await assertEachSendsToSignIn(t.agent(), [...ownPages, ...groupPages(groupId)]);
  });

  it('refuses a commissioner their own feed, and a peer worker a group feed (403)', async () => {
    await assertEachForbidden(commissioner, ownPages, {});
    await assertEachForbidden(facilitator, groupPages(groupId), {});
  });

  it('answers a group of another organisation, or none, as missing (404)', async () => {
    for (const id of [groupId, MISSING_ID]) {
      for (const [method, url] of groupPages(id)) {
        const response = method === 'GET' ? await stranger.get(url) : await stranger.post(url, {});
        assert.equal(response.status, 404, `${method} ${url}`);
      }
    }
    assert.equal((await manager.get(`/groups/${strangerGroupId}/calendar-feed`)).status, 404);
    const none = await t.db
      .selectFrom('calendar_feeds')
      .select('id')
      .where('group_id', '=', groupId)
      .execute();
    assert.equal(none.length, 0, 'nothing made');
  });

  it('answers an unknown, malformed or revoked feed address with 404', async () => {
    for (const url of [
      '/calendars/staff/' + 'A'.repeat(43) + '.ics',
      '/calendars/staff/short.ics',
      '/calendars/groups/' + 'B'.repeat(43) + '.ics',
    ]) {
      assert.equal((await fetchFeed(url)).status, 404, url);
    }
  });

  it('lets a member of staff make their own feed, shown once, that Outlook can subscribe to and an independent parser reads', async () => {
    const page = await facilitator.get('/calendar-feed');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Your calendar feed<\/h1>/);
    assert.match(page.body, /Create a calendar address/);

    const made = await facilitator.post('/calendar-feed', {});
    assert.equal(made.status, 200);
    const address = addressIn(made.body, 'staff');
    assert.ok(address, 'the new address is shown');
    assert.match(made.body, /it will not be shown again/);
    assert.equal(
      addressIn((await facilitator.get('/calendar-feed')).body, 'staff'),
      undefined,
      'and only once',
    );

    const stored = await t.db
      .selectFrom('calendar_feeds')
      .selectAll()
      .where('staff_id', '=', facilitatorStaff.id)
      .execute();
    assert.equal(stored.length, 1);
    assert.ok(!JSON.stringify(stored).includes(address.slice(17, 60)), 'the token itself is not stored');

    const feed = await fetchFeed(address);
    assert.equal(feed.status, 200);
    assert.equal(feed.headers['content-type'], 'text/calendar; charset=utf-8');
    const { calendar, events } = parseEvents(feed.body);
    assert.equal(calendar.getFirstPropertyValue('x-published-ttl'), 'PT1H');
    assert.equal(String(calendar.getFirstPropertyValue('refresh-interval')), 'PT1H');
    assert.equal(events.size, 4, 'three sessions they facilitate and one contact');

    const heldEvent = events.get(`session-${held}@support.example.org`)!;
    assert.equal(heldEvent.summary, 'Tuesday Peer Group');
    assert.equal(heldEvent.start.toISOString(), tuesday(10).toISOString());
    assert.equal(heldEvent.end.toISOString(), tuesday(12).toISOString());
    assert.ok(heldEvent.startIsUtc);
    assert.equal(heldEvent.status, 'CONFIRMED');
    assert.match(heldEvent.location, /^Chatham Library \(Garden Room\), 1 Test Street, Chatham, ME4 4AA$/);
    assert.equal(heldEvent.url, `https://support.example.org/groups/${groupId}`);

    const cancelledEvent = events.get(`session-${cancelled}@support.example.org`)!;
    assert.equal(cancelledEvent.status, 'CANCELLED');
    assert.equal(cancelledEvent.summary, 'Cancelled: Tuesday Peer Group');
    assert.equal(cancelledEvent.sequence, 2);

    const onlineEvent = events.get(`session-${online}@support.example.org`)!;
    assert.equal(onlineEvent.location, 'Online');
    assert.equal(
      onlineEvent.description,
      'Online meeting: https://meet.example.org/secret-room',
      'their own session’s link',
    );

    const contact = events.get(`contact-${contactId}@support.example.org`)!;
    assert.equal(contact.summary, 'One-to-one: J. S.');
    assert.equal(contact.location, 'Phone call');
    assert.equal(contact.start.toISOString(), '2026-03-04T11:00:00.000Z');
    assert.equal(contact.end.toISOString(), '2026-03-04T11:30:00.000Z');
    assert.equal(contact.url, `https://support.example.org/members/${memberId}/contacts/${contactId}`);
    assert.doesNotMatch(feed.body, /Jo Smith|Jordan|Kaur|crisis|Sensitive note|Private Road/i);

    assert.deepEqual(
      [...parseEvents((await fetchFeed(address)).body).events.keys()].sort(),
      [...events.keys()].sort(),
      'the same UIDs every time',
    );

    const reads = await t.db
      .selectFrom('audit_events')
      .select(['actor_type', 'subject_id', 'details'])
      .where('action', '=', 'calendar_feed.read')
      .where('subject_id', '=', facilitatorStaff.id)
      .execute();
    assert.equal(reads.length, 2);
    assert.equal(reads[0]?.actor_type, 'anonymous');
    assert.deepEqual(reads[0]?.details, { feedId: stored[0]?.id, sessions: 3, contacts: 1 });
  });

  it('stops the old address when the feed is replaced or stopped', async () => {
    const first = addressIn((await facilitator.post('/calendar-feed', {})).body, 'staff')!;
    const second = addressIn((await facilitator.post('/calendar-feed', {})).body, 'staff')!;
    assert.notEqual(first, second);
    assert.equal((await fetchFeed(first)).status, 404, 'replaced');
    assert.equal((await fetchFeed(second)).status, 200);

    const page = await facilitator.get('/calendar-feed');
    assert.match(page.body, /You have a calendar address, made on/);
    const stopped = await facilitator.post('/calendar-feed/revoke', {});
    assert.equal(stopped.status, 303);
    assert.equal(stopped.headers.location, '/calendar-feed');
    assert.equal((await fetchFeed(second)).status, 404, 'stopped');
    assert.match(
      (await facilitator.get('/calendar-feed')).body,
      /There is no calendar address at the moment/,
    );
    const actions = await t.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', facilitatorStaff.id)
      .where('action', 'in', ['calendar_feed.created', 'calendar_feed.revoked'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(actions.map((a) => a.action).slice(-3), [
      'calendar_feed.created',
      'calendar_feed.created',
      'calendar_feed.revoked',
    ]);
  });

  it('stops a feed when its owner is deactivated', async () => {
    const address = addressIn((await facilitator.post('/calendar-feed', {})).body, 'staff')!;
    assert.equal((await fetchFeed(address)).status, 200);
    await t.db
      .updateTable('staff')
      .set({ status: 'deactivated', deactivated_at: t.clock.now() })
      .where('id', '=', facilitatorStaff.id)
      .execute();
    assert.equal((await fetchFeed(address)).status, 404);
    await t.db
      .updateTable('staff')
      .set({ status: 'active', deactivated_at: null })
      .where('id', '=', facilitatorStaff.id)
      .execute();
  });

  it('gives a group a public feed with its timetable only: no people, no meeting link', async () => {
    const page = await manager.get(`/groups/${groupId}/calendar-feed`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Calendar feed for this group/);
    const made = await manager.post(`/groups/${groupId}/calendar-feed`, {});
    assert.equal(made.status, 200);
    const address = addressIn(made.body, 'groups')!;
    assert.ok(address);
    assert.equal((await fetchFeed(address.replace('/groups/', '/staff/'))).status, 404, 'not a staff feed');

    const feed = await fetchFeed(address);
    assert.equal(feed.status, 200);
    assert.equal(feed.headers['content-type'], 'text/calendar; charset=utf-8');
    const { calendar, events } = parseEvents(feed.body);
    assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), 'Tuesday Peer Group');
    assert.equal(events.size, 4, 'every session of the group');
    for (const event of events.values()) {
      assert.match(event.uid, /^group-session-[0-9a-f-]{36}@support\.example\.org$/);
      assert.match(event.summary, /^(Cancelled: )?Tuesday Peer Group$/);
      assert.ok(event.startIsUtc);
      assert.ok(
        event.location === 'Online' || event.location === 'Chatham Library, 1 Test Street, Chatham, ME4 4AA',
        event.location,
      );
      assert.equal(event.url, '');
      assert.ok(!event.description);
    }
    assert.equal(events.get(`group-session-${cancelled}@support.example.org`)?.status, 'CANCELLED');
    assert.doesNotMatch(feed.body, /meet\.example\.org|Test Worker|Jo Smith|One-to-one|Garden Room/);

    const stopped = await manager.post(`/groups/${groupId}/calendar-feed/revoke`, {});
    assert.equal(stopped.status, 303);
    assert.equal((await fetchFeed(address)).status, 404);
  });

  it('never puts a feed address in the log', async () => {
    const lines: string[] = [];
    const logged = await startTestApp({
      env: { PUBLIC_URL: 'https://support.example.org' },
      logLines: lines,
    });
    try {
      const staff = await buildStaff(logged.db, { organisationId: (await hostOrganisation(logged.db)).id });
      const agent = await signedInAgent(logged, staff);
      const address = addressIn((await agent.post('/calendar-feed', {})).body, 'staff')!;
      assert.equal((await fetchFeed(address, logged)).status, 200);
      const token = /([A-Za-z0-9_-]{43})\.ics$/.exec(address)![1]!;
      assert.ok(lines.some((line) => line.includes('/calendars/staff/:token.ics')));
      assert.ok(!lines.some((line) => line.includes(token)));
    } finally {
      await logged.close();
    }
  });
});
