import assert from 'node:assert/strict';
import { before, describe } from 'node:test';
import { buildStaff, type BuiltStaff } from '../src/testing/builders/accounts.ts';
import { buildConductAcknowledgement } from '../src/testing/builders/attendance.ts';
import { buildGroup, buildSession, buildVenue } from '../src/testing/builders/groups.ts';
import { buildMember } from '../src/testing/builders/members.ts';
import { hostOrganisation } from '../src/testing/builders/organisations.ts';
import { dayInLondon } from '../src/platform/time/day-in-london.ts';
import { londonMoment } from '../src/platform/time/london-time.ts';
import {
  arriveAt,
  JOURNEY_TIMEOUT_MS,
  journeySteps,
  signInThroughForms,
  type TrackedPage,
} from './support/browser.ts';
import { journeyApp } from './support/journey.ts';

/** A tablet held upright, as facilitators use one at the door of the group room. */
const TABLET = { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, hasTouch: true };

/**
 * A week of a SUN group on a tablet: a peer worker books two members onto the session (one every
 * week, one for this session), the clinical facilitator takes the register in one pass with someone
 * who walked in (recording the code of conduct for the two who had not agreed it yet), writes the
 * session note and signs it, and the lived experience facilitator signs it from their own account.
 * Along the way: a code of conduct agreed by phone, a cancellation when a member rings, two
 * facilitators saving the register at once, and an incident flagged and seen by a manager.
 */
describe('taking the register of a SUN group on a tablet', { timeout: 4 * JOURNEY_TIMEOUT_MS }, () => {
  const journey = journeyApp();
  const people: TrackedPage[] = [];
  let base = '';
  let sessionId = '';
  let sessionDay = '';
  let clinician: BuiltStaff;
  let lived: BuiltStaff;
  let booker: BuiltStaff;
  let manager: BuiltStaff;
  const step = journeySteps();

  before(async () => {
    const host = await hostOrganisation(journey.running.db);
    booker = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['peer_support_worker'],
      fullName: 'Sam Okafor',
    });
    clinician = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['clinical_facilitator'],
      fullName: 'Dana Price',
    });
    lived = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['lived_experience_practitioner'],
      fullName: 'Lee Hart',
    });
    const venue = await buildVenue(journey.running.db, {
      organisationId: host.id,
      name: 'Riverside Centre',
      roomName: 'Main hall',
      capacity: 14,
    });
    const group = await buildGroup(journey.running.db, host.id, {
      name: 'Tuesday SUN group',
      capacity: 12,
      defaultRoomId: venue.roomId,
    });
    // Later today, so it can still be booked; it "starts" before the register is taken (below).
    const startsAt = new Date(Date.now() + 5 * 60_000);
    sessionDay = dayInLondon(startsAt);
    sessionId = await buildSession(journey.running.db, {
      groupId: group.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
      roomId: venue.roomId,
      facilitators: [
        { staffId: clinician.id, sessionRole: 'clinical' },
        { staffId: lived.id, sessionRole: 'lived_experience' },
      ],
    });
    base = `/groups/${group.id}/sessions/${sessionId}`;
    const riley = await buildMember(journey.running.db, {
      organisationId: host.id,
      legalName: 'Riley Adams',
    });
    await buildConductAcknowledgement(journey.running.db, { memberId: riley.id, staffId: booker.id });
    await buildMember(journey.running.db, { organisationId: host.id, legalName: 'Jordan Blake' });
    await buildMember(journey.running.db, { organisationId: host.id, legalName: 'Casey Walker' });
    await buildMember(journey.running.db, { organisationId: host.id, legalName: 'Morgan Cole' });
    manager = await buildStaff(journey.running.db, {
      organisationId: host.id,
      roles: ['service_manager'],
      fullName: 'Morgan Ellis',
    });
  });

  /**
   * Taps a button that submits a form and waits for the page that comes back: the register and
   * bookings pages come back to their own address, so waiting for the address alone is not enough.
   */
  const submit = async (person: TrackedPage, button: ReturnType<TrackedPage['page']['getByRole']>) => {
    await Promise.all([person.page.waitForEvent('load'), button.tap()]);
  };

  const signedIn = async (account: BuiltStaff): Promise<TrackedPage> => {
    const person = await journey.open(TABLET);
    people.push(person);
    await person.page.goto('/sign-in');
    await arriveAt(person, '/sign-in', 'Sign in');
    await signInThroughForms(person, account);
    return person;
  };

  step('a peer worker books one member every week and another for this session', async () => {
    const person = await signedIn(booker);
    const { page } = person;
    await page.goto(`${base}/bookings`);
    await arriveAt(person, `${base}/bookings`, 'Bookings');
    await page.getByText('No one is booked yet.').waitFor();
    await page.getByLabel('Search by name').fill('riley');
    await submit(person, page.getByRole('button', { name: 'Search' }));
    await arriveAt(person, `${base}/bookings`, 'Bookings');
    await submit(
      person,
      page.getByRole('button', { name: /^Book every week from this session\W+Riley Adams$/ }),
    );
    await arriveAt(person, `${base}/bookings`, 'Bookings');
    await page.getByLabel('Search by name').fill('Jordan');
    await submit(person, page.getByRole('button', { name: 'Search' }));
    await arriveAt(person, `${base}/bookings`, 'Bookings');
    await submit(person, page.getByRole('button', { name: /^Book this session only\W+Jordan Blake$/ }));
    await arriveAt(person, `${base}/bookings`, 'Bookings');
    await page.getByText('2 of 12 places booked. 10 places free.').waitFor();
    const expected = page.getByRole('table', { name: 'People expected at this session' });
    await expected.getByRole('row', { name: /Riley Adams.*Every week.*Agreed/ }).waitFor();
    await expected.getByRole('row', { name: /Jordan Blake.*This session.*Not agreed yet/ }).waitFor();
  });

  step(
    'the peer worker records a code of conduct agreed by phone, then cancels when that member rings',
    async () => {
      const person = people[0]!;
      const { page } = person;
      await page.getByLabel('Search by name').fill('Morgan');
      await submit(person, page.getByRole('button', { name: 'Search' }));
      await arriveAt(person, `${base}/bookings`, 'Bookings');
      await submit(person, page.getByRole('button', { name: /^Book this session only\W+Morgan Cole$/ }));
      await arriveAt(person, `${base}/bookings`, 'Bookings');
      await page.getByRole('link', { name: /^Record agreement\W+for Morgan Cole$/ }).tap();
      await arriveAt(person, /\/conduct\/[0-9a-f-]{36}$/, 'Record agreement to the code of conduct');
      await page.getByLabel('Agreed by phone').tap();
      await submit(person, page.getByRole('button', { name: 'Record agreement' }));
      await arriveAt(person, `${base}/bookings`, 'Bookings');
      const expected = page.getByRole('table', { name: 'People expected at this session' });
      await expected.getByRole('row', { name: /Morgan Cole.*This session.*Agreed/ }).waitFor();
      await page.getByRole('link', { name: /^Cancel booking\W+for Morgan Cole$/ }).tap();
      await arriveAt(person, /\/bookings\/[0-9a-f-]{36}\/cancel$/, 'Cancel a booking');
      await submit(person, page.getByRole('button', { name: 'Cancel the booking' }));
      await arriveAt(person, /\/bookings\/[0-9a-f-]{36}\/cancel$/, 'Cancel a booking');
      const problems = page.locator('.nhsuk-error-summary a');
      assert.deepEqual(
        (await problems.allTextContents()).map((text) => text.trim()),
        ['Choose who cancelled', 'Enter why the booking is cancelled'],
      );
      await page.getByLabel('The member').tap();
      await page.getByLabel('Why is the booking cancelled?').fill('Rang to say they have a cold');
      await submit(person, page.getByRole('button', { name: 'Cancel the booking' }));
      await arriveAt(person, `${base}/bookings`, 'Bookings');
      await page.getByText('Morgan Cole: cancelled by the member (Rang to say they have a cold)').waitFor();
      await page.getByText('2 of 12 places booked. 10 places free.').waitFor();
    },
  );

  step('the clinical facilitator takes the register in one pass, with someone who walked in', async () => {
    // The session begins: its register can be taken from now on. It stays on its own UK day (just
    // after midnight, ten minutes ago was yesterday, when the weekly place booked from today did not yet count).
    const dayStart = londonMoment(sessionDay, { hours: 0, minutes: 0 });
    const begun = new Date(Math.max(Date.now() - 10 * 60_000, dayStart.getTime()));
    await journey.running.db
      .updateTable('group_sessions')
      .set({ starts_at: begun })
      .where('id', '=', sessionId)
      .execute();
    const person = await signedIn(clinician);
    const { page } = person;
    await page.goto(`${base}/register`);
    await arriveAt(person, `${base}/register`, 'Register');
    await page.getByRole('group', { name: 'Riley Adams' }).getByLabel('Attended').tap();
    await page.getByRole('group', { name: 'Jordan Blake' }).getByLabel('Arrived late').tap();
    await page
      .getByLabel('How did Jordan Blake agree to the code of conduct?')
      .selectOption({ label: 'Read together in person' });
    await page.getByLabel('Search by name').fill('Casey');
    await submit(person, page.getByRole('button', { name: 'Search' }));
    await arriveAt(person, `${base}/register`, 'Register');
    await submit(person, page.getByRole('button', { name: /^Add to the register\W+Casey Walker$/ }));
    await arriveAt(person, `${base}/register`, 'Register');
    // What was marked before the search is kept.
    assert.equal(
      await page.getByRole('group', { name: 'Riley Adams' }).getByLabel('Attended').isChecked(),
      true,
    );
    assert.equal(
      await page
        .getByLabel('How did Jordan Blake agree to the code of conduct?')
        .locator('option:checked')
        .textContent(),
      'Read together in person',
    );
    const casey = page.getByRole('group', { name: 'Casey Walker' });
    await casey.getByText('Walked in').waitFor();
    await casey.getByLabel('Attended').tap();
    await submit(person, page.getByRole('button', { name: 'Save the register' }));

    // Casey has not agreed the code of conduct: the register asks, keeping everything else.
    await arriveAt(person, `${base}/register`, 'Register');
    const problem = page.locator('.nhsuk-error-summary a');
    assert.equal(
      ((await problem.textContent()) ?? '').trim(),
      'Choose how Casey Walker agreed to the code of conduct, or choose a different status',
    );
    await page
      .getByLabel('How did Casey Walker agree to the code of conduct?')
      .selectOption({ label: 'Agreed by phone' });
    await submit(person, page.getByRole('button', { name: 'Save the register' }));
    await arriveAt(person, `${base}/register`, 'Register');
    await page.getByText('Register saved').waitFor();
    await page.getByText('Last saved by Dana Price').waitFor();
    assert.equal(
      await page.getByRole('group', { name: 'Casey Walker' }).getByLabel('Attended').isChecked(),
      true,
    );
    assert.equal(
      await page.getByRole('group', { name: 'Jordan Blake' }).getByLabel('Arrived late').isChecked(),
      true,
    );
  });

  step('the clinical facilitator writes the session note and signs it', async () => {
    const person = people.at(-1)!;
    const { page } = person;
    await page.getByRole('link', { name: 'Session note and incidents' }).tap();
    await arriveAt(person, `${base}/note`, 'Session note');
    await page
      .getByLabel('Session note')
      .fill('A settled group. We shared ways of coping with sleepless nights.');
    await submit(person, page.getByRole('button', { name: 'Save the note' }));
    await arriveAt(person, `${base}/note`, 'Session note');
    await submit(person, page.getByRole('button', { name: 'Sign the note as Dana Price' }));
    await arriveAt(person, `${base}/note`, 'Session note');
    await page.getByText(/Signed on \d/).waitFor();
    await page.getByText('Not signed yet').waitFor();
  });

  step('the lived experience facilitator signs it from their own account', async () => {
    const person = await signedIn(lived);
    const { page } = person;
    await page.goto(`${base}/note`);
    await arriveAt(person, `${base}/note`, 'Session note');
    await page
      .locator('p', { hasText: 'A settled group. We shared ways of coping with sleepless nights.' })
      .waitFor();
    await submit(person, page.getByRole('button', { name: 'Sign the note as Lee Hart' }));
    await arriveAt(person, `${base}/note`, 'Session note');
    await page.getByText('Every facilitator has signed this version of the note.').waitFor();
    assert.equal(await page.getByRole('button', { name: /Sign the note/ }).count(), 0);
  });

  step(
    'a facilitator saving a register someone else has just saved is shown both, and nothing is overwritten',
    async () => {
      const livedPerson = people.at(-1)!;
      const clinicianPerson = people[1]!;
      await livedPerson.page.goto(`${base}/register`);
      await arriveAt(livedPerson, `${base}/register`, 'Register');
      await clinicianPerson.page.goto(`${base}/register`);
      await arriveAt(clinicianPerson, `${base}/register`, 'Register');
      await clinicianPerson.page.getByRole('group', { name: 'Riley Adams' }).getByLabel('Left early').tap();
      await submit(clinicianPerson, clinicianPerson.page.getByRole('button', { name: 'Save the register' }));
      await arriveAt(clinicianPerson, `${base}/register`, 'Register');
      await livedPerson.page.getByRole('group', { name: 'Riley Adams' }).getByLabel('Did not attend').tap();
      await submit(livedPerson, livedPerson.page.getByRole('button', { name: 'Save the register' }));
      await arriveAt(livedPerson, `${base}/register`, 'Someone else saved this register');
      const saved = livedPerson.page.getByRole('table', { name: 'The register as saved' });
      await saved.getByRole('row', { name: /Riley Adams.*Left early/ }).waitFor();
      const mine = livedPerson.page.getByRole('table', { name: 'What you entered (not saved)' });
      await mine.getByRole('row', { name: /Riley Adams.*Did not attend/ }).waitFor();
      const statuses = await journey.running.db
        .selectFrom('session_attendance')
        .select('status')
        .where('session_id', '=', sessionId)
        .execute();
      assert.ok(statuses.some((row) => row.status === 'left_early'));
      assert.ok(!statuses.some((row) => row.status === 'did_not_attend'));
    },
  );

  step('the lived experience facilitator flags an incident, and a manager sees it listed', async () => {
    const person = people.at(-1)!;
    const { page } = person;
    await page.goto(`${base}/note`);
    await arriveAt(person, `${base}/note`, 'Session note');
    await page
      .getByLabel('Flag an incident')
      .fill('A member became upset and left early; phoned them afterwards');
    await submit(person, page.getByRole('button', { name: 'Flag the incident' }));
    await arriveAt(person, `${base}/note`, 'Session note');
    await page.getByText('A member became upset and left early; phoned them afterwards').waitFor();
    const managerPerson = await signedIn(manager);
    await managerPerson.page.goto('/session-incidents');
    await arriveAt(managerPerson, '/session-incidents', 'Incidents at group sessions');
    await managerPerson.page.getByRole('link', { name: /^Tuesday SUN group, / }).tap();
    await arriveAt(managerPerson, `${base}/note`, 'Session note');
    const registers = `${base.split('/sessions/')[0]}/registers`;
    await managerPerson.page.goto(registers);
    await arriveAt(managerPerson, registers, 'Registers and session notes');
    await managerPerson.page.getByText('Signed by every facilitator').waitFor();
    await managerPerson.page.getByText('Incident flagged').waitFor();
  });
});
