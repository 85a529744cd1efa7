import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { generateSecret } from 'otplib';
import type { Clock } from '../context.ts';
import type { Db } from '../database.ts';
import { recordAudit } from '../platform/audit/audit.ts';
import { STAFF_ROLES, type SharingCategory, type StaffRole } from '../policy/index.ts';
import { seedAttendance } from './seed-attendance.ts';
import { seedCalendars } from './seed-calendars.ts';
import { seedContacts } from './seed-contacts.ts';
import { seedFrontDoor } from './seed-front-door.ts';
import { seedGroups } from './seed-groups.ts';
import { seedPlans } from './seed-plans.ts';
import { seedPortal } from './seed-portal.ts';

/**
 * Synthetic demo data: a charity and an NHS trust running one SUN-style service as a partnership, with
 * an information-sharing agreement, a member of staff in every role, and the front door in use
 * (referrals in every state, people supported, someone gone quiet; see seed-front-door.ts). Every name, address and email
 * address here is invented (example.org addresses cannot receive mail).
 *
 * The demo runs on its own data directory (./demo-data), never on a live one. All demo accounts share
 * one password and one authenticator key, made at random on first run and kept in that directory, so
 * nothing secret is written in this file.
 */
type DemoSignIn = {
  password: string;
  totpSecret: string;
  accounts: { email: string; role: string; organisation: string }[];
  /** How to sign in as a member, and the demo's calendar feed addresses (made once, kept here). */
  more?: string[];
};

const CHARITY = { name: 'Eastwold Wellbeing Together', kind: 'charity' as const, odsCode: null };
const TRUST = { name: 'Weald and Downs NHS Foundation Trust', kind: 'nhs_trust' as const, odsCode: 'ZZW01' };

const PEOPLE: { name: string; roles: StaffRole[]; at: 'charity' | 'trust' }[] = [
  { name: 'Priya Shah', roles: ['administrator', 'service_manager'], at: 'charity' },
  { name: 'Tom Okafor', roles: ['peer_support_worker'], at: 'charity' },
  { name: 'Grace Llewellyn', roles: ['senior_peer_support_worker'], at: 'charity' },
  { name: 'Sam Duarte', roles: ['lived_experience_practitioner'], at: 'charity' },
  { name: 'Ruth Adeyemi', roles: ['advanced_lived_experience_practitioner'], at: 'charity' },
  { name: 'Jamie Kerr', roles: ['peer_bank_worker'], at: 'charity' },
  { name: 'Alex Morgan', roles: ['volunteer'], at: 'charity' },
  { name: 'Hannah Price', roles: ['community_connector'], at: 'charity' },
  { name: 'Dev Patel', roles: ['social_prescribing_link_worker'], at: 'charity' },
  { name: 'Margaret Hughes', roles: ['safeguarding_lead'], at: 'charity' },
  { name: 'Chris Evans', roles: ['commissioner'], at: 'charity' },
  { name: 'Dr Amara Nwosu', roles: ['clinical_facilitator'], at: 'trust' },
  { name: 'Ellie Watson', roles: ['psychological_wellbeing_practitioner'], at: 'trust' },
  { name: 'Owen Fletcher', roles: ['care_coordinator'], at: 'trust' },
  { name: 'Fatima Begum', roles: ['administrator', 'service_manager'], at: 'trust' },
];

const GRANTS: Record<'charity' | 'trust', SharingCategory[]> = {
  charity: ['referrals', 'member_details', 'crisis_plans'],
  trust: [
    'referrals',
    'member_details',
    'support_plans',
    'crisis_plans',
    'contacts_and_sessions',
    'outcomes',
  ],
};

function emailOf(name: string, at: 'charity' | 'trust'): string {
  const local = name
    .toLowerCase()
    .replace(/^dr /, '')
    .replace(/[^a-z ]/g, '')
    .replace(/ /g, '.');
  return `${local}@${at === 'charity' ? 'eastwold-wellbeing' : 'weald-downs-nhs'}.example.org`;
}

function describe(signIn: DemoSignIn): string[] {
  return [
    'Demo data (synthetic people only). Every demo account uses:',
    `  password: ${signIn.password}`,
    `  authenticator key: ${signIn.totpSecret}   (or run "npm run demo:code" for the current code)`,
    '',
    ...signIn.accounts.map((a) => `  ${a.email.padEnd(52)} ${a.role} (${a.organisation})`),
    ...(signIn.more ?? []),
  ];
}

/**
 * Seeds the demo partnership once, and says how to sign in.
 *
 * @param db - the database.
 * @param clock - the clock.
 * @param dataDir - the demo data directory, where the shared demo credentials are kept.
 * @param publicUrl - the service's address, for the demo's calendar feed addresses.
 * @returns lines for the terminal.
 */
export async function seedDemoData(
  db: Db,
  clock: Clock,
  dataDir: string,
  publicUrl: string,
): Promise<string[]> {
  const file = path.join(dataDir, 'demo-sign-in.json');
  const existing = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  if (existing) {
    return existsSync(file) ? describe(JSON.parse(readFileSync(file, 'utf8')) as DemoSignIn) : [];
  }
  const now = clock.now();
  const signIn: DemoSignIn = {
    password: `demo ${randomUUID().slice(0, 8)} walk`,
    totpSecret: generateSecret(),
    accounts: [],
  };
  const passwordHash = await hash(signIn.password);
  await db.transaction().execute(async (tx) => {
    const ids = { charity: randomUUID(), trust: randomUUID() };
    for (const [key, organisation] of [
      ['charity', CHARITY],
      ['trust', TRUST],
    ] as const) {
      await tx
        .insertInto('organisations')
        .values({
          id: ids[key],
          name: organisation.name,
          kind: organisation.kind,
          ods_code: organisation.odsCode,
          is_host: key === 'charity',
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const locality = randomUUID();
    await tx
      .insertInto('localities')
      .values({ id: locality, organisation_id: ids.charity, name: 'Eastwold', created_at: now })
      .execute();
    await tx
      .insertInto('bases')
      .values([
        {
          id: randomUUID(),
          organisation_id: ids.charity,
          locality_id: locality,
          name: 'Eastwold Community Hub',
          address: '12 Market Street, Eastwold',
          postcode: 'EW1 2AB',
          created_at: now,
        },
        {
          id: randomUUID(),
          organisation_id: ids.trust,
          locality_id: null,
          name: 'Harbour House',
          address: '3 Quay Road, Harbourside',
          postcode: 'HB4 7QD',
          created_at: now,
        },
      ])
      .execute();
    const service = randomUUID();
    await tx
      .insertInto('services')
      .values({
        id: service,
        name: 'SUN service (Service User Network)',
        description:
          'Weekly groups for adults with complex emotional needs, co-facilitated by a clinical and a lived experience facilitator. No diagnosis needed.',
        lead_organisation_id: ids.charity,
        first_contact_working_days: 5,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx
      .insertInto('service_organisations')
      .values([
        { service_id: service, organisation_id: ids.charity },
        { service_id: service, organisation_id: ids.trust },
      ])
      .execute();
    const agreement = randomUUID();
    await tx
      .insertInto('sharing_agreements')
      .values({
        id: agreement,
        name: 'SUN partnership information-sharing agreement',
        starts_on: '2026-01-01',
        ends_on: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await tx
      .insertInto('sharing_agreement_parties')
      .values([
        { agreement_id: agreement, organisation_id: ids.charity },
        { agreement_id: agreement, organisation_id: ids.trust },
      ])
      .execute();
    await tx
      .insertInto('sharing_agreement_grants')
      .values(
        (['charity', 'trust'] as const).flatMap((party) =>
          GRANTS[party].map((category) => ({
            agreement_id: agreement,
            organisation_id: ids[party],
            category,
          })),
        ),
      )
      .execute();
    const staffIds = new Map<string, string>();
    for (const person of PEOPLE) {
      const email = emailOf(person.name, person.at);
      const staffId = randomUUID();
      staffIds.set(person.name, staffId);
      await tx
        .insertInto('staff')
        .values({
          id: staffId,
          organisation_id: ids[person.at],
          email,
          full_name: person.name,
          roles: person.roles,
          status: 'active',
          password_hash: passwordHash,
          totp_secret: signIn.totpSecret,
          totp_enrolled_at: now,
          last_totp_step: null,
          deactivated_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      signIn.accounts.push({
        email,
        role: person.roles.map((r) => STAFF_ROLES[r]).join(', '),
        organisation: person.at === 'charity' ? CHARITY.name : TRUST.name,
      });
    }
    const workerId = (name: string) => staffIds.get(name) ?? '';
    const supported = await seedFrontDoor(
      tx,
      {
        organisationId: ids.charity,
        serviceId: service,
        workers: {
          tom: workerId('Tom Okafor'),
          grace: workerId('Grace Llewellyn'),
          hannah: workerId('Hannah Price'),
        },
      },
      now,
    );
    await seedGroups(
      tx,
      {
        organisationId: ids.charity,
        serviceId: service,
        staff: {
          amara: workerId('Dr Amara Nwosu'),
          ellie: workerId('Ellie Watson'),
          sam: workerId('Sam Duarte'),
          ruth: workerId('Ruth Adeyemi'),
          tom: workerId('Tom Okafor'),
          grace: workerId('Grace Llewellyn'),
          jamie: workerId('Jamie Kerr'),
        },
      },
      now,
    );
    await seedContacts(
      tx,
      {
        organisationId: ids.charity,
        workers: {
          tom: workerId('Tom Okafor'),
          grace: workerId('Grace Llewellyn'),
          sam: workerId('Sam Duarte'),
          hannah: workerId('Hannah Price'),
        },
        members: supported,
      },
      now,
    );
    const groups = await tx
      .selectFrom('group_programmes')
      .select(['id', 'group_type'])
      .where('organisation_id', '=', ids.charity)
      .orderBy('name')
      .execute();
    await seedAttendance(
      tx,
      {
        organisationId: ids.charity,
        bookers: [workerId('Tom Okafor'), workerId('Grace Llewellyn'), workerId('Hannah Price')],
        groupIds: groups.map((g) => g.id),
        // Not Kieran: he has gone quiet, and shows on the non-engagement worklist.
        memberIds: [supported.ruth, supported.peggy],
      },
      now,
    );
    await seedPlans(
      tx,
      {
        organisationId: ids.charity,
        workers: {
          tom: workerId('Tom Okafor'),
          grace: workerId('Grace Llewellyn'),
          hannah: workerId('Hannah Price'),
        },
        members: supported,
      },
      now,
    );
    const portal = await seedPortal(tx, { members: supported }, now);
    const sunGroup = groups.find((g) => g.group_type === 'sun_group') ?? groups[0];
    const feeds = sunGroup
      ? await seedCalendars(
          tx,
          {
            organisationId: ids.charity,
            facilitatorId: workerId('Sam Duarte'),
            groupId: sunGroup.id,
            managerId: workerId('Priya Shah'),
          },
          now,
          publicUrl,
        )
      : undefined;
    signIn.more = [
      '',
      ...portal,
      ...(feeds
        ? [
            '',
            'Calendar feeds (subscribe from Outlook or any calendar):',
            `  Sam Duarte's sessions and contacts: ${feeds.facilitatorFeed}`,
            `  a SUN group's public timetable:     ${feeds.groupFeed}`,
          ]
        : []),
    ];
    await recordAudit(tx, {
      action: 'demo.seeded',
      subject: { type: 'Service', id: service },
      actor: { type: 'system' },
      details: { organisations: 2, staff: PEOPLE.length },
      at: now,
    });
  });
  writeFileSync(file, JSON.stringify(signIn, null, 2), { mode: 0o600 });
  return describe(signIn);
}
