import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../database.ts';
import { firstContactDueDate, type ReferralStatus } from '../modules/referrals/index.ts';
import { dayInLondon } from '../platform/time/day-in-london.ts';

/**
 * The demo's front door: referrals in every state (some with first contact overdue), from people
 * themselves and from professionals, the people already known to the service, their episodes of
 * support, someone who has gone quiet (on the non-engagement worklist), and someone discharged last
 * month who has just referred themselves again (so the duplicate check and "the door stays open" show).
 * Every person here is invented; phone numbers are from Ofcom's range for drama (07700 900000–900999).
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const UNAMBIGUOUS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const reference = () => `R${Array.from({ length: 8 }, () => UNAMBIGUOUS[randomInt(32)]).join('')}`;

/** Who the demo's front door needs: the host charity, its service and a few of its workers. */
/** The member records of the three people being supported, for the later parts of the demo. */
export type SupportedPeople = { ruth: string; kieran: string; peggy: string };

export type FrontDoorCast = {
  organisationId: string;
  serviceId: string;
  workers: { tom: string; grace: string; hannah: string };
};

type DemoReferral = {
  name: string;
  preferredName?: string;
  dateOfBirth?: string;
  postcode?: string;
  phone?: string;
  email?: string;
  source: 'self' | 'gp' | 'community_mental_health_team' | 'hospital_discharge' | 'step_down';
  referrer?: { name: string; role: string; organisation: string; phone: string };
  safetyInformation?: string;
  communicationNeeds?: ('large_print' | 'easy_read' | 'bsl_interpreter' | 'phone_first')[];
  ownWords: string;
  hopes: string;
  daysAgo: number;
};

const GP = {
  name: 'Dr Hana Mirza',
  role: 'GP',
  organisation: 'Harbour Surgery',
  phone: '07700 900410',
};
const CMHT = {
  name: 'Lewis Grant',
  role: 'Community psychiatric nurse',
  organisation: 'Eastwold Community Mental Health Team',
  phone: '07700 900411',
};

/**
 * Seeds the demo's front door in the caller's transaction.
 *
 * @param tx - the demo's transaction.
 * @param cast - the organisation, service and workers.
 * @param now - the time: dates are relative to it, so the demo always has something overdue.
 * @returns the member records of the people being supported.
 */
export async function seedFrontDoor(tx: Db, cast: FrontDoorCast, now: Date): Promise<SupportedPeople> {
  const at = (daysAgo: number, hour = 10) => {
    const day = new Date(now.getTime() - daysAgo * DAY_MS);
    day.setUTCHours(hour, 0, 0, 0);
    return day;
  };
  const dayOf = (daysAgo: number) => dayInLondon(at(daysAgo));

  const insertReferral = async (r: DemoReferral, extra: Record<string, unknown> = {}) => {
    const id = randomUUID();
    const receivedAt = at(r.daysAgo, 9);
    await tx
      .insertInto('referrals')
      .values({
        id,
        reference: reference(),
        service_id: cast.serviceId,
        organisation_id: cast.organisationId,
        source: r.source,
        received_at: receivedAt,
        first_contact_due: firstContactDueDate(receivedAt, 5),
        name: r.name,
        preferred_name: r.preferredName ?? null,
        date_of_birth: r.dateOfBirth ?? null,
        email: r.email ?? null,
        phone: r.phone ?? null,
        postal_address: null,
        postcode: r.postcode ?? null,
        contact_methods: r.email ? ['phone', 'email'] : ['phone', 'text'],
        safe_to_leave_message: r.source !== 'self',
        best_times: 'Weekday mornings',
        communication_needs: r.communicationNeeds ?? [],
        preferred_language: null,
        communication_needs_other: null,
        nhs_number: null,
        gp_practice: 'Harbour Surgery',
        own_words: r.ownWords,
        hopes: r.hopes,
        consent_to_referral: true,
        consent_to_contact: true,
        submission_key: null,
        referrer_name: r.referrer?.name ?? null,
        referrer_role: r.referrer?.role ?? null,
        referrer_organisation: r.referrer?.organisation ?? null,
        referrer_phone: r.referrer?.phone ?? null,
        safety_information: r.safetyInformation ?? null,
        created_at: receivedAt,
        updated_at: receivedAt,
        ...extra,
      })
      .execute();
    return { id, receivedAt };
  };
  const attempt = (
    referralId: string,
    daysAgo: number,
    outcome: 'no_answer' | 'left_message' | 'spoke',
    staffId: string,
  ) =>
    tx
      .insertInto('referral_contact_attempts')
      .values({
        id: randomUUID(),
        referral_id: referralId,
        at: at(daysAgo, 11),
        channel: 'phone',
        outcome,
        note: outcome === 'spoke' ? 'Talked through what the groups are like.' : null,
        staff_id: staffId,
      })
      .execute();
  const statusChange = (
    referralId: string,
    from: ReferralStatus,
    to: ReferralStatus,
    daysAgo: number,
    reason: string | null,
    staffId: string,
  ) =>
    tx
      .insertInto('referral_status_changes')
      .values({
        id: randomUUID(),
        referral_id: referralId,
        from_status: from,
        to_status: to,
        reason,
        at: at(daysAgo, 12),
        staff_id: staffId,
      })
      .execute();
  const insertMember = async (
    m: {
      name: string;
      preferredName?: string;
      dateOfBirth: string;
      postcode: string;
      phone: string;
      needs?: ('large_print' | 'easy_read' | 'phone_first')[];
    },
    daysAgo: number,
  ) => {
    const id = randomUUID();
    await tx
      .insertInto('members')
      .values({
        id,
        organisation_id: cast.organisationId,
        legal_name: m.name,
        preferred_name: m.preferredName ?? null,
        pronouns: null,
        date_of_birth: m.dateOfBirth,
        email: null,
        phone: m.phone,
        postal_address: null,
        postcode: m.postcode,
        nhs_number: null,
        gp_practice: 'Harbour Surgery',
        contact_methods: ['phone', 'text'],
        safe_to_leave_message: true,
        best_times: null,
        communication_needs: m.needs ?? [],
        preferred_language: null,
        communication_needs_other: null,
        emergency_contact_name: null,
        emergency_contact_phone: null,
        emergency_contact_relationship: null,
        ethnic_category: null,
        created_at: at(daysAgo),
        updated_at: at(daysAgo),
      })
      .execute();
    return id;
  };
  const insertEpisode = async (
    memberId: string,
    startedDaysAgo: number,
    keyWorker: string,
    discharge?: { daysAgo: number; reason: string },
  ) => {
    const id = randomUUID();
    await tx
      .insertInto('episodes')
      .values({
        id,
        member_id: memberId,
        organisation_id: cast.organisationId,
        service_id: cast.serviceId,
        status: discharge ? 'discharged' : 'active',
        started_on: dayOf(startedDaysAgo),
        anticipated_end_on: dayInLondon(new Date(at(startedDaysAgo).getTime() + 26 * 7 * DAY_MS)),
        review_on: dayInLondon(new Date(at(startedDaysAgo).getTime() + 12 * 7 * DAY_MS)),
        discharged_on: discharge ? dayOf(discharge.daysAgo) : null,
        discharge_reason: discharge?.reason ?? null,
        created_at: at(startedDaysAgo),
        updated_at: at(discharge?.daysAgo ?? startedDaysAgo),
      })
      .execute();
    await tx.insertInto('episode_key_workers').values({ episode_id: id, staff_id: keyWorker }).execute();
    return id;
  };
  const { tom, grace, hannah } = cast.workers;

  // Waiting: new ones, one of them past its first-contact date.
  await insertReferral({
    name: 'Jordan Blake',
    dateOfBirth: '1994-05-17',
    postcode: 'EW1 4DL',
    phone: '07700 900101',
    source: 'self',
    ownWords: 'Since losing my job I have stopped going out. Some days I do not get dressed.',
    hopes: 'To meet people who understand, maybe a group.',
    daysAgo: 1,
  });
  await insertReferral({
    name: 'Morgan Ellis',
    preferredName: 'Mo',
    dateOfBirth: '1979-10-03',
    postcode: 'EW2 7HN',
    phone: '07700 900102',
    source: 'self',
    communicationNeeds: ['easy_read', 'phone_first'],
    ownWords: 'I get overwhelmed and end up in A&E. I want to find another way.',
    hopes: 'Someone to talk to before it gets that bad.',
    daysAgo: 12,
  });
  await insertReferral({
    name: 'Precious Adebayo',
    dateOfBirth: '1988-01-29',
    postcode: 'HB4 2RT',
    phone: '07700 900103',
    source: 'gp',
    referrer: GP,
    safetyInformation: 'Has a large dog at home: please phone before visiting.',
    ownWords: 'Low mood for over a year, isolated since moving to the area. Agrees to a referral.',
    hopes: 'Peer support and a social group.',
    daysAgo: 2,
  });

  // Being contacted: two calls not answered, then a welcome conversation booked.
  const tried = await insertReferral(
    {
      name: 'Sam Whitaker',
      dateOfBirth: '2001-08-11',
      postcode: 'EW3 9QP',
      phone: '07700 900104',
      source: 'self',
      ownWords: 'My anxiety is stopping me from going to college.',
      hopes: 'To feel less alone with it.',
      daysAgo: 6,
    },
    { status: 'contact_attempted', version: 3 },
  );
  await attempt(tried.id, 5, 'no_answer', tom);
  await attempt(tried.id, 3, 'left_message', tom);
  await statusChange(tried.id, 'new', 'contact_attempted', 5, null, tom);

  const booked = await insertReferral(
    {
      name: 'Aled Pritchard',
      dateOfBirth: '1965-12-02',
      postcode: 'HB4 6LS',
      phone: '07700 900105',
      source: 'step_down',
      referrer: CMHT,
      ownWords: 'Stepping down from the community team after two years; would benefit from peer support.',
      hopes: 'Keep the progress going with a group.',
      daysAgo: 4,
    },
    { status: 'welcome_booked', welcome_at: new Date(at(-3, 14)), version: 3 },
  );
  await attempt(booked.id, 3, 'spoke', grace);
  await statusChange(booked.id, 'new', 'contact_attempted', 3, null, grace);
  await statusChange(booked.id, 'contact_attempted', 'welcome_booked', 3, null, grace);

  // Closed: signposted, declined, withdrawn, each with its reason.
  const closed = async (
    r: DemoReferral,
    status: 'signposted' | 'declined' | 'withdrawn',
    reason: string,
    where?: string,
  ) => {
    const referral = await insertReferral(r, {
      status,
      outcome_reason: reason,
      outcome_where: where ?? null,
      closed_at: at(r.daysAgo - 5, 15),
      version: 2,
    });
    await statusChange(referral.id, 'new', status, r.daysAgo - 5, reason, hannah);
  };
  await closed(
    {
      name: 'Chris Marlow',
      dateOfBirth: '1990-03-21',
      phone: '07700 900106',
      source: 'self',
      ownWords: 'Mostly I want help sorting out debts that are keeping me awake.',
      hopes: 'Advice on money.',
      daysAgo: 30,
    },
    'signposted',
    'Another service can help better',
    'Eastwold Citizens Advice (debt advice)',
  );
  await closed(
    {
      name: 'Dana Fox',
      dateOfBirth: '2010-02-14',
      phone: '07700 900107',
      source: 'gp',
      referrer: GP,
      ownWords: 'Struggling at school.',
      hopes: 'Support.',
      daysAgo: 40,
    },
    'declined',
    'Under 18: the service is for adults. The GP was told about the local young people’s service the same day.',
  );
  await closed(
    {
      name: 'Lee Harrow',
      dateOfBirth: '1983-07-07',
      phone: '07700 900108',
      source: 'self',
      ownWords: 'Finding work stressful.',
      hopes: 'Someone to talk to.',
      daysAgo: 25,
    },
    'withdrawn',
    'They said on the phone that things have settled and they do not want support now.',
  );

  // Supported now: accepted referrals, their records and episodes. One has gone quiet for 6 weeks.
  const supported = [
    {
      name: 'Ruth Okonjo',
      dateOfBirth: '1972-09-09',
      postcode: 'EW1 3BB',
      phone: '07700 900120',
      startedDaysAgo: 70,
      keyWorker: tom,
      quiet: false,
    },
    {
      name: 'Kieran Doyle',
      dateOfBirth: '1998-04-30',
      postcode: 'EW2 1AD',
      phone: '07700 900121',
      startedDaysAgo: 80,
      keyWorker: grace,
      quiet: true,
    },
    {
      name: 'Margaret Oyelaran',
      preferredName: 'Peggy',
      dateOfBirth: '1949-06-12',
      postcode: 'HB4 1ZZ',
      phone: '07700 900122',
      startedDaysAgo: 20,
      keyWorker: hannah,
      quiet: false,
      needs: ['large_print', 'phone_first'] as ('large_print' | 'phone_first')[],
    },
  ];
  const supportedIds: string[] = [];
  for (const person of supported) {
    const memberId = await insertMember(person, person.startedDaysAgo);
    supportedIds.push(memberId);
    const episodeId = await insertEpisode(memberId, person.startedDaysAgo, person.keyWorker);
    const referral = await insertReferral(
      {
        name: person.name,
        preferredName: person.preferredName,
        dateOfBirth: person.dateOfBirth,
        postcode: person.postcode,
        phone: person.phone,
        source: 'self',
        ownWords: 'I would like to be around people again.',
        hopes: 'A weekly group.',
        daysAgo: person.startedDaysAgo + 4,
      },
      {
        status: 'accepted',
        member_id: memberId,
        episode_id: episodeId,
        outcome_reason: 'Support started',
        closed_at: at(person.startedDaysAgo, 15),
        version: 3,
      },
    );
    await attempt(referral.id, person.startedDaysAgo + 2, 'spoke', person.keyWorker);
    await statusChange(
      referral.id,
      'new',
      'contact_attempted',
      person.startedDaysAgo + 2,
      null,
      person.keyWorker,
    );
    await statusChange(
      referral.id,
      'contact_attempted',
      'accepted',
      person.startedDaysAgo,
      'Support started',
      person.keyWorker,
    );
    if (!person.quiet) {
      // A recent conversation keeps them off the non-engagement worklist until contacts arrive.
      await tx
        .insertInto('engagement_follow_ups')
        .values({
          id: randomUUID(),
          episode_id: episodeId,
          step: 'call',
          outcome: 'spoke',
          note: null,
          at: at(6, 16),
          staff_id: person.keyWorker,
        })
        .execute();
    } else {
      await tx
        .insertInto('engagement_follow_ups')
        .values({
          id: randomUUID(),
          episode_id: episodeId,
          step: 'call',
          outcome: 'no_answer',
          note: null,
          at: at(4, 16),
          staff_id: person.keyWorker,
        })
        .execute();
    }
  }

  // Discharged five weeks ago, and back this week under a slightly different spelling: the duplicate
  // check finds them, and accepting picks up their history (the service's door stays open 26 weeks).
  const returning = await insertMember(
    {
      name: 'Stephen Kowalski',
      preferredName: 'Steve',
      dateOfBirth: '1986-11-23',
      postcode: 'EW3 2PF',
      phone: '07700 900130',
    },
    200,
  );
  await insertEpisode(returning, 200, grace, { daysAgo: 35, reason: 'goals_met' });
  await insertReferral({
    name: 'Steven Kowalsky',
    dateOfBirth: '1986-11-23',
    phone: '07700 900130',
    source: 'self',
    ownWords: 'I was coming to the Tuesday group until last month. Things have gone downhill again.',
    hopes: 'To come back to the group.',
    daysAgo: 3,
  });
  const [ruth = '', kieran = '', peggy = ''] = supportedIds;
  return { ruth, kieran, peggy };
}
