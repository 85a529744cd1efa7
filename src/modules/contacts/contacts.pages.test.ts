import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildStaff } from '../../testing/builders/accounts.ts';
import { buildContact, buildNextStep } from '../../testing/builders/contacts.ts';
import { buildEpisode, buildMember } from '../../testing/builders/members.ts';
import {
  buildAgreement,
  buildOrganisation,
  buildService,
  hostOrganisation,
} from '../../testing/builders/organisations.ts';
import {
  assertEachForbidden,
  assertEachSendsToSignIn,
  auditRows,
  MISSING_ID,
  send,
  withoutPerResponseValues,
  type Page,
} from '../../testing/builders/partnership.ts';
import { signedInAgent, startTestApp, type TestApp } from '../../testing/test-app.ts';

// The test clock starts on Monday 2 March 2026 at 10am (GMT, so UK time is UTC).
const DAY_MS = 24 * 3600 * 1000;

async function buildWorld(t: TestApp) {
  const own = await hostOrganisation(t.db);
  const partner = await buildOrganisation(t.db, { name: 'Weald Trust', kind: 'nhs_trust', odsCode: 'RWX' });
  const detailsOnly = await buildOrganisation(t.db, { name: 'Harbour Housing', kind: 'charity' });
  const stranger = await buildOrganisation(t.db, {
    name: 'Unrelated Trust',
    kind: 'nhs_trust',
    odsCode: 'RZZ',
  });
  await buildAgreement(t.db, [
    { organisationId: own.id },
    { organisationId: partner.id, categories: ['member_details', 'contacts_and_sessions'] },
  ]);
  await buildAgreement(t.db, [
    { organisationId: own.id },
    { organisationId: detailsOnly.id, categories: ['member_details', 'support_plans'] },
  ]);
  const service = await buildService(t.db, [own.id], { name: 'SUN Eastwold', nonEngagementWeeks: 4 });
  const me = await buildStaff(t.db, { organisationId: own.id, fullName: 'Jo Worker' });
  const colleague = await buildStaff(t.db, { organisationId: own.id, fullName: 'Sam Colleague' });
  const manager = await buildStaff(t.db, {
    organisationId: own.id,
    fullName: 'Priya Manager',
    roles: ['service_manager'],
  });
  const strangerStaff = await buildStaff(t.db, {
    organisationId: stranger.id,
    fullName: 'Lee Elsewhere',
    roles: ['service_manager'],
  });
  const signed = async (roles: Parameters<typeof buildStaff>[1]) =>
    signedInAgent(t, await buildStaff(t.db, roles));
  return {
    own,
    stranger,
    service,
    me,
    colleague,
    manager,
    strangerStaff,
    worker: await signedInAgent(t, me),
    colleagueAgent: await signedInAgent(t, colleague),
    managerAgent: await signedInAgent(t, manager),
    wrongRoles: {
      administrator: await signed({ organisationId: own.id, roles: ['administrator'] }),
      commissioner: await signed({ organisationId: own.id, roles: ['commissioner'] }),
      volunteer: await signed({ organisationId: own.id, roles: ['volunteer'] }),
    },
    partnerWorker: await signed({ organisationId: partner.id, roles: ['care_coordinator'] }),
    detailsOnlyWorker: await signed({ organisationId: detailsOnly.id, roles: ['peer_support_worker'] }),
    strangerManager: await signedInAgent(t, strangerStaff),
  };
}

type World = Awaited<ReturnType<typeof buildWorld>>;

async function supportedMember(t: TestApp, world: World, preferredName: string, startedOn = '2026-01-05') {
  const member = await buildMember(t.db, {
    organisationId: world.own.id,
    legalName: `${preferredName} Legal`,
    preferredName,
  });
  const episode = await buildEpisode(t.db, {
    memberId: member.id,
    organisationId: world.own.id,
    serviceId: world.service.id,
    startedOn,
    keyWorkerIds: [world.me.id],
  });
  return { memberId: member.id, episodeId: episode.id, base: `/members/${member.id}/contacts` };
}

const recordFields = (world: World, extra: Record<string, string | string[]> = {}) => ({
  contactType: 'peer_support',
  mode: 'in_person',
  'date-day': '2',
  'date-month': '3',
  'date-year': '2026',
  time: '9:00am',
  durationMinutes: '50',
  venueId: '',
  place: 'Harbour Café',
  workerIds: [world.me.id],
  notes: 'Talked about joining the walking group.',
  nextStep: 'Find out the walking group times',
  nextStepAssignee: world.me.id,
  'nextStepDue-day': '6',
  'nextStepDue-month': '3',
  'nextStepDue-year': '2026',
  ...extra,
});

const planFields = (world: World, extra: Record<string, string | string[]> = {}) => ({
  contactType: 'check_in_call',
  mode: 'phone',
  'date-day': '5',
  'date-month': '3',
  'date-year': '2026',
  time: '14:00',
  durationMinutes: '',
  venueId: '',
  place: '',
  workerIds: [world.me.id],
  ...extra,
});

async function contactRows(t: TestApp) {
  return t.db.selectFrom('contacts').selectAll().orderBy('created_at').orderBy('id').execute();
}

async function lastAudit(t: TestApp, action: string) {
  return t.db
    .selectFrom('audit_events')
    .select(['actor_id', 'subject_type', 'subject_id', 'details'])
    .where('action', '=', action)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
}

/** The error summary's links, in order, as "text -> #field". */
function errorSummaryOf(body: string): string[] {
  const summary = /<div class="nhsuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  return [...summary.matchAll(/<a href="(#[^"]+)">([^<]+)<\/a>/g)].map((m) => `${m[2]} -> ${m[1]}`);
}

describe('who may use the contact and caseload pages', () => {
  let t: TestApp;
  let world: World;
  let person: Awaited<ReturnType<typeof supportedMember>>;
  let contactId: string;
  let stepId: string;
  let pages: Page[];
  let memberPages: Page[];
  before(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    person = await supportedMember(t, world, 'Robin');
    const contact = await buildContact(t.db, {
      organisationId: world.own.id,
      memberId: person.memberId,
      episodeId: person.episodeId,
      recordedBy: world.me.id,
      notes: 'Private words about their week.',
    });
    contactId = contact.id;
    stepId = (await buildNextStep(t.db, { contactId, createdBy: world.me.id })).id;
    const c = `${person.base}/${contactId}`;
    memberPages = [
      ['GET', person.base],
      ['GET', `${person.base}/new`],
      ['POST', person.base],
      ['GET', `${person.base}/plan`],
      ['POST', `${person.base}/planned`],
      ['GET', c],
      ['GET', `${c}/change`],
      ['POST', `${c}/change`],
      ['GET', `${c}/outcome`],
      ['POST', `${c}/outcome`],
      ['POST', `${c}/next-steps`],
      ['POST', `${c}/next-steps/${stepId}/done`],
    ];
    pages = [
      ...memberPages,
      ['GET', '/caseload'],
      ['GET', '/caseloads'],
      ['GET', `/caseloads/${world.me.id}`],
    ];
  });
  after(() => t.close());

  it('sends a signed-out visitor to sign in from every page', async () => {
    await assertEachSendsToSignIn(t.agent(), pages);
  });

  it('refuses administrators, commissioners and volunteers with 403 on every page, changing nothing', async () => {
    const before = await contactRows(t);
    for (const [role, agent] of Object.entries(world.wrongRoles)) {
      await assertEachForbidden(agent, pages, { ...recordFields(world), version: '1' }).catch(
        (error: unknown) => {
          throw new Error(`${role}: ${String(error)}`);
        },
      );
    }
    assert.deepEqual(await contactRows(t), before);
  });

  it('refuses a peer support worker another worker’s caseload and the caseload sizes with 403', async () => {
    await assertEachForbidden(
      world.worker,
      [
        ['GET', '/caseloads'],
        ['GET', `/caseloads/${world.colleague.id}`],
      ],
      {},
    );
  });

  it('answers another organisation with 404 on every member page, exactly as for no such member', async () => {
    const before = await contactRows(t);
    const missing = memberPages.map(([method, url]): Page => [
      method,
      url
        .replaceAll(person.memberId, MISSING_ID)
        .replaceAll(contactId, MISSING_ID)
        .replaceAll(stepId, MISSING_ID),
    ]);
    for (const [i, [method, url]] of memberPages.entries()) {
      const fields = { ...recordFields(world), version: '1' };
      const other = await send(world.strangerManager, method, url, fields);
      const none = await send(world.strangerManager, method, missing[i]![1], fields);
      assert.equal(other.status, 404, `${method} ${url}`);
      assert.equal(none.status, 404, `${method} ${missing[i]![1]}`);
      assert.equal(
        withoutPerResponseValues(other.body),
        withoutPerResponseValues(none.body),
        `${method} ${url}`,
      );
    }
    // A manager elsewhere cannot open this organisation's worker's caseload either.
    const caseload = await world.strangerManager.get(`/caseloads/${world.me.id}`);
    assert.equal(caseload.status, 404);
    assert.doesNotMatch((await world.strangerManager.get('/caseloads')).body, /Jo Worker/);
    assert.deepEqual(await contactRows(t), before);
  });

  it('answers a partner whose agreement does not grant contacts with 404 on every member page', async () => {
    for (const [method, url] of memberPages) {
      const response = await send(world.detailsOnlyWorker, method, url, {
        ...recordFields(world),
        version: '1',
      });
      assert.equal(response.status, 404, `${method} ${url}`);
    }
  });

  it('shows a partner granted contacts and sessions the list and the contact without notes, and lets it change nothing', async () => {
    const list = await world.partnerWorker.get(person.base);
    assert.equal(list.status, 200);
    assert.match(list.body, /Robin/);
    assert.match(list.body, /Peer support/);
    assert.doesNotMatch(list.body, /Record a contact/);
    const page = await world.partnerWorker.get(`${person.base}/${contactId}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /Private words/);
    assert.match(page.body, /Notes are kept by the organisation that supports this person/);
    assert.doesNotMatch(page.body, /Mark as done|Change the contact|Add the next step/);
    const read = await lastAudit(t, 'contact.read');
    assert.equal(read?.subject_id, contactId);
    const before = await contactRows(t);
    const readable = new Set([person.base, `${person.base}/${contactId}`]);
    for (const [method, url] of memberPages) {
      if (method === 'GET' && readable.has(url)) {
        continue;
      }
      const response = await send(world.partnerWorker, method, url, { ...recordFields(world), version: '1' });
      assert.equal(response.status, 404, `${method} ${url}`);
    }
    assert.deepEqual(await contactRows(t), before);
  });
});

describe('recording a contact', () => {
  let t: TestApp;
  let world: World;
  let person: Awaited<ReturnType<typeof supportedMember>>;
  before(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    person = await supportedMember(t, world, 'Robin');
  });
  after(() => t.close());

  it('offers the form with today, the worker ticked and the types, modes and next step', async () => {
    const page = await world.worker.get(`${person.base}/new`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>Record a contact<\/h1>/);
    assert.match(page.body, /Robin/);
    for (const text of [
      'Welcome conversation',
      'Accompanied appointment',
      'Follow-up after not attending',
      'Signposting conversation',
      'Video call',
      'Text message',
      'Next step (optional)',
    ]) {
      assert.ok(page.body.includes(text), text);
    }
    assert.match(page.body, /name="date-day"[^>]*value="2"/);
    assert.match(page.body, new RegExp(`value="${world.me.id}" checked`));
    assert.match(page.body, /name="submissionKey" value="[A-Za-z0-9_-]{32}"/);
  });

  it('records it with its workers, next step and episode, shows the notes on its own page only, and audits each step', async () => {
    const saved = await world.worker.post(person.base, {
      ...recordFields(world, { workerIds: [world.me.id, world.colleague.id] }),
      submissionKey: 'a'.repeat(32),
    });
    assert.equal(saved.status, 303);
    const [row] = await contactRows(t);
    assert.ok(row);
    assert.equal(saved.headers.location, `${person.base}/${row.id}`);
    assert.equal(row.status, 'happened');
    assert.equal(row.episode_id, person.episodeId);
    assert.equal(row.contact_type, 'peer_support');
    assert.equal(row.occurred_at.toISOString(), '2026-03-02T09:00:00.000Z');
    assert.equal(row.duration_minutes, 50);
    assert.equal(row.recorded_by, world.me.id);
    const workers = await t.db
      .selectFrom('contact_workers')
      .select('staff_id')
      .where('contact_id', '=', row.id)
      .execute();
    assert.deepEqual(workers.map((w) => w.staff_id).sort(), [world.me.id, world.colleague.id].sort());
    const steps = await t.db
      .selectFrom('contact_next_steps')
      .selectAll()
      .where('contact_id', '=', row.id)
      .execute();
    assert.equal(steps.length, 1);
    assert.equal(steps[0]?.assigned_to, world.me.id);
    assert.equal(steps[0]?.due_on, '2026-03-06');
    const recorded = await auditRows(t, row.id);
    assert.equal(recorded[0]?.action, 'contact.recorded');
    assert.equal(recorded[0]?.actor_id, world.me.id);
    assert.doesNotMatch(JSON.stringify(recorded[0]?.details), /walking|Harbour/);

    const page = await world.worker.get(`${person.base}/${row.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Talked about joining the walking group\./);
    assert.match(page.body, /2 March 2026 at 9am/);
    assert.match(page.body, /Harbour Café/);
    assert.match(page.body, /Jo Worker, Sam Colleague/);
    assert.match(page.body, /Find out the walking group times/);
    assert.equal((await auditRows(t, row.id)).at(-1)?.action, 'contact.notes_read');

    const list = await world.worker.get(person.base);
    assert.equal(list.status, 200);
    assert.match(list.body, /Peer support/);
    assert.match(list.body, /Jo Worker, Sam Colleague/);
    assert.doesNotMatch(list.body, /walking group/);
    const listRead = await lastAudit(t, 'contact.list_read');
    assert.equal(listRead?.subject_id, person.memberId);
    assert.deepEqual(listRead?.details, { contacts: 1 });
  });

  it('records a form sent twice once', async () => {
    const before = (await contactRows(t)).length;
    const fields = { ...recordFields(world), submissionKey: 'b'.repeat(32) };
    const first = await world.worker.post(person.base, fields);
    const second = await world.worker.post(person.base, fields);
    assert.equal(first.status, 303);
    assert.equal(second.status, 303);
    assert.equal(second.headers.location, first.headers.location);
    assert.equal((await contactRows(t)).length, before + 1);
    const id = String(first.headers.location).split('/').at(-1) ?? '';
    assert.equal(
      (await t.db.selectFrom('contact_next_steps').select('id').where('contact_id', '=', id).execute())
        .length,
      1,
    );
  });

  it('records two copies of one form sent at the same moment once', async () => {
    const before = (await contactRows(t)).length;
    const fields = { ...recordFields(world), submissionKey: 'd'.repeat(32) };
    const [first, second] = await Promise.all([
      world.worker.post(person.base, fields),
      world.worker.post(person.base, fields),
    ]);
    assert.equal(first.status, 303);
    assert.equal(second.status, 303);
    assert.equal(first.headers.location, second.headers.location);
    assert.equal((await contactRows(t)).length, before + 1);
  });

  it('reads the time typed as UK time, in British Summer Time too', async () => {
    const saved = await world.worker.post(
      person.base,
      recordFields(world, {
        'date-day': '1',
        'date-month': '6',
        'date-year': '2025',
        time: '9:15am',
        nextStep: '',
        nextStepAssignee: '',
        'nextStepDue-day': '',
        'nextStepDue-month': '',
        'nextStepDue-year': '',
      }),
    );
    assert.equal(saved.status, 303);
    const id = String(saved.headers.location).split('/').at(-1);
    const row = (await contactRows(t)).find((c) => c.id === id);
    assert.equal(row?.occurred_at.toISOString(), '2025-06-01T08:15:00.000Z');
    const page = await world.worker.get(String(saved.headers.location));
    assert.match(page.body, /1 June 2025 at 9:15am/);
  });

  it('shows every problem of an empty form in page order, keeping what was typed and saving nothing', async () => {
    const before = await contactRows(t);
    const page = await world.worker.post(person.base, {
      'date-day': '',
      'date-month': '',
      'date-year': '',
      time: '',
      place: 'Library',
      nextStepAssignee: world.me.id,
    });
    assert.equal(page.status, 400);
    assert.deepEqual(errorSummaryOf(page.body), [
      'Select the type of contact -> #contactType',
      'Select how you were in touch -> #mode',
      'Enter the date -> #date-day',
      'Enter the time -> #time',
      'Enter how long it lasted, in minutes -> #durationMinutes',
      'Select who was involved -> #workerIds',
      'Enter what the next step is -> #nextStep',
    ]);
    assert.match(page.body, /name="place"[^>]*value="Library"/);
    assert.deepEqual(await contactRows(t), before);
  });

  it('refuses a contact in the future, an accompanied appointment with nowhere, and a worker from elsewhere', async () => {
    const before = await contactRows(t);
    const future = await world.worker.post(person.base, recordFields(world, { time: '11:00' }));
    assert.equal(future.status, 400);
    assert.deepEqual(errorSummaryOf(future.body), [
      'The date and time of the contact must be now or in the past -> #date-day',
    ]);
    assert.match(future.body, /name="notes"[^>]*>Talked about joining the walking group\./);
    const nowhere = await world.worker.post(
      person.base,
      recordFields(world, { contactType: 'accompanied_appointment', place: '' }),
    );
    assert.deepEqual(errorSummaryOf(nowhere.body), [
      'Enter where the appointment was, or select a venue -> #place',
    ]);
    const elsewhere = await world.worker.post(
      person.base,
      recordFields(world, { workerIds: [world.strangerStaff.id] }),
    );
    assert.deepEqual(errorSummaryOf(elsewhere.body), ['Select workers from the list -> #workerIds']);
    const badMinutes = await world.worker.post(person.base, recordFields(world, { durationMinutes: '0' }));
    assert.deepEqual(errorSummaryOf(badMinutes.body), [
      'How long it lasted must be a whole number of minutes from 1 to 720 -> #durationMinutes',
    ]);
    assert.deepEqual(await contactRows(t), before);
  });

  it('records a contact with someone who has no episode of support, linked to none', async () => {
    const member = await buildMember(t.db, { organisationId: world.own.id, legalName: 'Ash Newcomer' });
    const saved = await world.worker.post(
      `/members/${member.id}/contacts`,
      recordFields(world, { contactType: 'welcome_conversation' }),
    );
    assert.equal(saved.status, 303);
    const row = (await contactRows(t)).find((c) => c.member_id === member.id);
    assert.equal(row?.episode_id, null);
  });
});

describe('changing a contact and what became of a planned one', () => {
  let t: TestApp;
  let world: World;
  let person: Awaited<ReturnType<typeof supportedMember>>;
  let contactId: string;
  before(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    person = await supportedMember(t, world, 'Robin');
    contactId = (
      await buildContact(t.db, {
        organisationId: world.own.id,
        memberId: person.memberId,
        recordedBy: world.me.id,
        notes: 'First words.',
      })
    ).id;
  });
  after(() => t.close());

  it('shows the change form with the contact as it is, and audits that it showed the notes', async () => {
    const page = await world.worker.get(`${person.base}/${contactId}/change`);
    assert.equal(page.status, 200);
    assert.match(page.body, /name="version" value="1"/);
    assert.match(page.body, />First words\.</);
    assert.match(page.body, /name="date-day"[^>]*value="20"/);
    assert.match(page.body, /name="time"[^>]*value="11:00"/);
    assert.equal((await auditRows(t, contactId)).at(-1)?.action, 'contact.notes_read');
  });

  it('saves a change, naming the fields changed in the audit, and gives a stale save the conflict page', async () => {
    const fields = {
      contactType: 'peer_support',
      mode: 'phone',
      'date-day': '20',
      'date-month': '2',
      'date-year': '2026',
      time: '11:00',
      durationMinutes: '45',
      venueId: '',
      place: '',
      workerIds: [world.me.id, world.colleague.id],
      notes: 'Second words.',
      version: '1',
    };
    const saved = await world.worker.post(`${person.base}/${contactId}/change`, fields);
    assert.equal(saved.status, 303);
    const row = (await contactRows(t)).find((c) => c.id === contactId);
    assert.equal(row?.mode, 'phone');
    assert.equal(row?.notes, 'Second words.');
    assert.equal(row?.version, 2);
    const changed = await lastAudit(t, 'contact.changed');
    assert.deepEqual(changed?.details, { memberId: person.memberId, fields: ['mode', 'notes', 'workers'] });

    const stale = await world.colleagueAgent.post(`${person.base}/${contactId}/change`, {
      ...fields,
      mode: 'video',
      notes: 'Overwriting words.',
    });
    assert.equal(stale.status, 409);
    assert.match(stale.body, /Someone else changed this record/);
    const after = (await contactRows(t)).find((c) => c.id === contactId);
    assert.equal(after?.mode, 'phone');
    assert.equal(after?.notes, 'Second words.');
  });

  it('books a contact for later, refusing one in the past, and lists it as planned', async () => {
    const past = await world.worker.post(`${person.base}/planned`, planFields(world, { 'date-day': '1' }));
    assert.equal(past.status, 400);
    assert.deepEqual(errorSummaryOf(past.body), [
      'The date and time of a planned contact must be in the future -> #date-day',
    ]);
    const booked = await world.worker.post(`${person.base}/planned`, {
      ...planFields(world),
      submissionKey: 'c'.repeat(32),
    });
    assert.equal(booked.status, 303);
    assert.equal(booked.headers.location, person.base);
    const planned = (await contactRows(t)).find((c) => c.status === 'planned');
    assert.equal(planned?.occurred_at.toISOString(), '2026-03-05T14:00:00.000Z');
    assert.equal(planned?.episode_id, person.episodeId);
    assert.equal((await lastAudit(t, 'contact.planned'))?.subject_id, planned?.id);
    const list = await world.worker.get(person.base);
    assert.match(list.body, /<h2>Planned<\/h2><table[^]*?Check-in call[^]*?Planned<\/td>/);
  });

  it('records a planned contact as happened once it has, refusing a time still to come', async () => {
    const planned = (await contactRows(t)).find((c) => c.status === 'planned');
    assert.ok(planned);
    const path = `${person.base}/${planned.id}/outcome`;
    const form = await world.worker.get(path);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="date-day"[^>]*value="5"/);
    const early = await world.worker.post(path, {
      outcome: 'happened',
      'date-day': '5',
      'date-month': '3',
      'date-year': '2026',
      time: '14:00',
      durationMinutes: '20',
      version: String(planned.version),
    });
    assert.equal(early.status, 400);
    assert.deepEqual(errorSummaryOf(early.body), [
      'The date and time of the contact must be now or in the past -> #date-day',
    ]);
    t.clock.advance(4 * DAY_MS);
    // Four days on, the session has long expired: the worker signs in again.
    world.worker = await signedInAgent(t, world.me);
    const missing = await world.worker.post(path, { outcome: 'happened', version: String(planned.version) });
    assert.deepEqual(errorSummaryOf(missing.body), [
      'Enter the date -> #date-day',
      'Enter the time -> #time',
      'Enter how long it lasted, in minutes -> #durationMinutes',
    ]);
    const done = await world.worker.post(path, {
      outcome: 'happened',
      'date-day': '5',
      'date-month': '3',
      'date-year': '2026',
      time: '14:10',
      durationMinutes: '20',
      notes: 'Said the week went well.',
      version: String(planned.version),
    });
    assert.equal(done.status, 303);
    const row = (await contactRows(t)).find((c) => c.id === planned.id);
    assert.equal(row?.status, 'happened');
    assert.equal(row?.occurred_at.toISOString(), '2026-03-05T14:10:00.000Z');
    assert.equal(row?.notes, 'Said the week went well.');
    assert.deepEqual((await lastAudit(t, 'contact.outcome_recorded'))?.details, {
      memberId: person.memberId,
      outcome: 'happened',
    });
    const again = await world.worker.post(path, {
      outcome: 'did_not_happen',
      reason: 'No answer',
      version: String(row?.version),
    });
    assert.equal(again.status, 409);
  });

  it('records a planned contact that did not happen, with why', async () => {
    const booked = await world.worker.post(`${person.base}/planned`, planFields(world, { 'date-day': '10' }));
    assert.equal(booked.status, 303);
    const planned = (await contactRows(t)).find((c) => c.status === 'planned');
    assert.ok(planned);
    const path = `${person.base}/${planned.id}/outcome`;
    const noReason = await world.worker.post(path, { outcome: 'did_not_happen', version: '1' });
    assert.deepEqual(errorSummaryOf(noReason.body), ['Enter why the contact did not happen -> #reason']);
    const saved = await world.worker.post(path, {
      outcome: 'did_not_happen',
      reason: 'No answer',
      version: '1',
    });
    assert.equal(saved.status, 303);
    const row = (await contactRows(t)).find((c) => c.id === planned.id);
    assert.equal(row?.status, 'did_not_happen');
    assert.equal(row?.not_happened_reason, 'No answer');
    const page = await world.worker.get(`${person.base}/${planned.id}`);
    assert.match(page.body, /Did not happen/);
    assert.match(page.body, /No answer/);
  });
});

describe('next steps and caseloads', () => {
  let t: TestApp;
  let world: World;
  let recent: Awaited<ReturnType<typeof supportedMember>>;
  let quiet: Awaited<ReturnType<typeof supportedMember>>;
  let fresh: Awaited<ReturnType<typeof supportedMember>>;
  let contactId: string;
  before(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    // Spoke 3 days ago: not due until 14 days after that.
    recent = await supportedMember(t, world, 'Casey');
    contactId = (
      await buildContact(t.db, {
        organisationId: world.own.id,
        memberId: recent.memberId,
        recordedBy: world.me.id,
        occurredAt: new Date('2026-02-27T10:00:00Z'),
      })
    ).id;
    await buildContact(t.db, {
      organisationId: world.own.id,
      memberId: recent.memberId,
      recordedBy: world.me.id,
      status: 'planned',
      contactType: 'check_in_call',
      mode: 'phone',
      occurredAt: new Date('2026-03-05T14:00:00Z'),
      durationMinutes: null,
    });
    // Last contact 20 days ago: 6 days overdue.
    quiet = await supportedMember(t, world, 'Robin');
    await buildContact(t.db, {
      organisationId: world.own.id,
      memberId: quiet.memberId,
      recordedBy: world.colleague.id,
      occurredAt: new Date('2026-02-10T10:00:00Z'),
    });
    // Robin is in a second service too, with the same key worker: still one person on the caseload.
    const social = await buildService(t.db, [world.own.id], {
      name: 'Social peer support',
      nonEngagementWeeks: 8,
    });
    await buildEpisode(t.db, {
      memberId: quiet.memberId,
      organisationId: world.own.id,
      serviceId: social.id,
      startedOn: '2026-02-25',
      keyWorkerIds: [world.me.id],
    });
    // Started 10 days ago, no contact yet: due in 4 days.
    fresh = await supportedMember(t, world, 'Dani', '2026-02-20');
    // Someone else's person, and someone whose support has ended: not on Jo's caseload.
    const other = await buildMember(t.db, { organisationId: world.own.id, legalName: 'Eli Other' });
    await buildEpisode(t.db, {
      memberId: other.id,
      organisationId: world.own.id,
      keyWorkerIds: [world.colleague.id],
    });
  });
  after(() => t.close());

  it('adds a next step on the contact page, refusing one with no one to do it', async () => {
    const path = `/members/${recent.memberId}/contacts/${contactId}`;
    const bad = await world.worker.post(`${path}/next-steps`, {
      description: 'Ring the GP surgery',
      assignedTo: '',
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(errorSummaryOf(bad.body), ['Select who will do it -> #assignedTo']);
    assert.match(bad.body, /name="description"[^>]*value="Ring the GP surgery"/);
    const saved = await world.worker.post(`${path}/next-steps`, {
      description: 'Ring the GP surgery',
      assignedTo: world.me.id,
      'dueOn-day': '1',
      'dueOn-month': '3',
      'dueOn-year': '2026',
    });
    assert.equal(saved.status, 400);
    assert.deepEqual(errorSummaryOf(saved.body), ['The date must be today or in the future -> #dueOn-day']);
    const ok = await world.worker.post(`${path}/next-steps`, {
      description: 'Ring the GP surgery',
      assignedTo: world.me.id,
      'dueOn-day': '4',
      'dueOn-month': '3',
      'dueOn-year': '2026',
    });
    assert.equal(ok.status, 303);
    assert.equal((await lastAudit(t, 'contact.next_step_added'))?.subject_id, contactId);
  });

  it('shows my caseload with who is due a contact, most overdue first, and my open next steps, and audits the read', async () => {
    const page = await world.worker.get('/caseload');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1[^>]*>My caseload<\/h1>/);
    const names = [...page.body.matchAll(/<a href="\/members\/[^/]+\/contacts">([^<]+)<\/a>/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(names, ['Robin', 'Dani', 'Casey']);
    assert.match(page.body, /3 people, 1 due a contact/);
    assert.match(page.body, /Due a contact: 6 days overdue/);
    assert.match(page.body, /Next contact due by 6 March 2026/);
    assert.match(page.body, /Next contact due by 13 March 2026/);
    assert.match(page.body, /5 March 2026 at 2pm/);
    assert.match(page.body, /Ring the GP surgery/);
    assert.match(page.body, /For Casey, by 4 March 2026/);
    assert.doesNotMatch(page.body, /Eli Other/);
    const read = await lastAudit(t, 'caseload.read');
    assert.equal(read?.subject_id, world.me.id);
    assert.deepEqual(
      [...(read?.details as { memberIds: string[] }).memberIds].sort(),
      [recent.memberId, quiet.memberId, fresh.memberId].sort(),
    );
  });

  it('ticks a next step off from the caseload once, giving a second tick the conflict page', async () => {
    const step = await t.db
      .selectFrom('contact_next_steps')
      .selectAll()
      .where('description', '=', 'Ring the GP surgery')
      .executeTakeFirstOrThrow();
    const path = `/members/${recent.memberId}/contacts/${contactId}/next-steps/${step.id}/done`;
    const done = await world.worker.post(path, { version: String(step.version), returnTo: '/caseload' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/caseload');
    const again = await world.colleagueAgent.post(path, { version: String(step.version) });
    assert.equal(again.status, 409);
    const after = await t.db
      .selectFrom('contact_next_steps')
      .selectAll()
      .where('id', '=', step.id)
      .executeTakeFirstOrThrow();
    assert.equal(after.done_by, world.me.id);
    assert.doesNotMatch((await world.worker.get('/caseload')).body, /Ring the GP surgery/);
    const page = await world.worker.get(`/members/${recent.memberId}/contacts/${contactId}`);
    assert.match(page.body, /Done on 2 March 2026 by Jo Worker/);
  });

  it('lets a manager see the count per worker and any worker’s caseload', async () => {
    const sizes = await world.managerAgent.get('/caseloads');
    assert.equal(sizes.status, 200);
    const rows = [
      ...sizes.body.matchAll(/<a href="\/caseloads\/[^"]+">([^<]+)<\/a><\/td><td[^>]*>(\d+)<\/td>/g),
    ].map((m) => `${m[1]}: ${m[2]}`);
    assert.deepEqual(rows, ['Jo Worker: 3', 'Sam Colleague: 1', 'Priya Manager: 0']);
    const jo = await world.managerAgent.get(`/caseloads/${world.me.id}`);
    assert.equal(jo.status, 200);
    assert.match(jo.body, /<h1[^>]*>Caseload of Jo Worker<\/h1>/);
    assert.match(jo.body, /Robin/);
    assert.doesNotMatch(jo.body, /Mark as done/);
    assert.equal((await lastAudit(t, 'caseload.read'))?.actor_id, world.manager.id);
    assert.equal((await world.managerAgent.get(`/caseloads/${MISSING_ID}`)).status, 404);
    assert.equal((await world.managerAgent.get('/caseloads/not-an-id')).status, 404);
  });
});
