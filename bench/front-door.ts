import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/database.ts';
import { findPossibleDuplicates, type DuplicateProbe } from '../src/modules/members/members.repo.ts';

/**
 * The front door's measurements for npm run bench: the duplicate check a worker runs at triage,
 * over a realistic number of people, against the same query typed by hand in SQL.
 */

// Synthetic names only: common first names and surnames in England and Wales (ONS baby names and
// surname frequency lists give the flavour; none of these is a real person's record).
const FIRST = [
  'Oliver',
  'Amelia',
  'George',
  'Isla',
  'Noah',
  'Ava',
  'Arthur',
  'Mia',
  'Harry',
  'Ivy',
  'Leo',
  'Lily',
  'Muhammad',
  'Isabella',
  'Jack',
  'Rosie',
  'Charlie',
  'Sophia',
  'Oscar',
  'Grace',
  'Jacob',
  'Freya',
  'Henry',
  'Willow',
  'Thomas',
  'Florence',
  'Priya',
  'Aisha',
  'Tomasz',
  'Chloe',
  'Daniel',
  'Megan',
];
const LAST = [
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Brown',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Johnson',
  'Roberts',
  'Robinson',
  'Thompson',
  'Wright',
  'Walker',
  'White',
  'Edwards',
  'Hughes',
  'Green',
  'Hall',
  'Lewis',
  'Harris',
  'Clarke',
  'Patel',
  'Khan',
  'Begum',
  'Nowak',
  'Okafor',
  'Murphy',
  'Kaur',
  'Ali',
  'Jackson',
  'Wood',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Morris',
  'Moore',
  'Clark',
  'Lee',
];
const AREAS = ['ME', 'CT', 'TN', 'DA', 'BR', 'SE', 'RH', 'BN'];

/**
 * Inserts synthetic people in one statement per batch, spread over a realistic spread of names, dates
 * of birth and postcodes, so the duplicate check has to sift as it would on a large service. The
 * caller then runs ANALYZE as the tables' owner, as autovacuum would soon after on a live service.
 *
 * @param db - the database.
 * @param organisationId - who holds them.
 * @param count - how many.
 * @returns how long it took, in milliseconds.
 */
export async function seedPeople(db: Db, organisationId: string, count: number): Promise<number> {
  const started = performance.now();
  const batch = 10_000;
  for (let from = 0; from < count; from += batch) {
    const size = Math.min(batch, count - from);
    // Deterministic from the row number: the same people every run.
    await sql`INSERT INTO members (id, organisation_id, legal_name, preferred_name, date_of_birth, postcode,
        phone, contact_methods, communication_needs, created_at, updated_at)
      SELECT gen_random_uuid(), ${organisationId}::uuid,
        (${FIRST}::text[])[1 + (n * 7) % ${FIRST.length}] || ' ' || (${LAST}::text[])[1 + (n * 13) % ${LAST.length}]
          || CASE WHEN n % 3 = 0 THEN '-' || (${LAST}::text[])[1 + (n * 5) % ${LAST.length}] ELSE '' END,
        CASE WHEN n % 10 = 0 THEN (${FIRST}::text[])[1 + (n * 11) % ${FIRST.length}] END,
        date '1940-01-01' + (n * 37) % 25000,
        (${AREAS}::text[])[1 + n % ${AREAS.length}] || (1 + n % 20) || ' ' || (n % 10) ||
          chr(65 + (n / 10) % 26) || chr(65 + (n / 260) % 26),
        '07700 9' || lpad((n % 100000)::text, 5, '0'),
        '{phone}', '{}', now(), now()
      FROM generate_series(${from + 1}::int, ${from + size}::int) AS n`.execute(db);
  }
  return performance.now() - started;
}

/**
 * Probes like the referrals a worker triages: a real person's name with a typing slip, with their date
 * of birth and postcode, or with only the name.
 *
 * @param db - the database.
 * @param count - how many.
 * @returns the probes.
 */
async function probes(db: Db, count: number): Promise<DuplicateProbe[]> {
  const rows = await db
    .selectFrom('members')
    .select(['legal_name', 'date_of_birth', 'postcode'])
    .orderBy(sql`md5(id::text)`)
    .limit(count)
    .execute();
  return rows.map((row, i) => {
    // Swap two letters in the surname: "Tayolr" for "Taylor".
    const name = row.legal_name.replace(/([a-z])([a-z])(?=[a-z]*$)/, '$2$1');
    return i % 2 === 0 ? { name, dateOfBirth: row.date_of_birth, postcode: row.postcode } : { name };
  });
}

/**
 * The same duplicate check typed by hand for the pg driver, the baseline: the nearest 20 legal and
 * preferred names by trigram distance and the exact date of birth and postcode matches, then the same
 * similarity and match columns, with no ranking in code.
 */
const HAND_WRITTEN = `
  SELECT m.id, m.organisation_id, m.legal_name, m.preferred_name, m.date_of_birth, m.postcode, m.nhs_number,
    m.email, m.phone,
    greatest(0, similarity(lower(m.legal_name), $2), coalesce(similarity(lower(m.preferred_name), $2), 0)) AS name_similarity,
    coalesce(m.date_of_birth = $3::date, false) AS same_date_of_birth,
    coalesce(m.postcode = $4, false) AS same_postcode
  FROM members m
  WHERE m.organisation_id = ANY($1::uuid[])
    AND m.id IN (
      (SELECT id FROM members WHERE organisation_id = ANY($1::uuid[]) ORDER BY lower(legal_name) <-> $2 LIMIT 20)
      UNION (SELECT id FROM members WHERE organisation_id = ANY($1::uuid[]) AND preferred_name IS NOT NULL
        ORDER BY lower(preferred_name) <-> $2 LIMIT 20)
      UNION (SELECT id FROM members WHERE organisation_id = ANY($1::uuid[]) AND date_of_birth = $3::date LIMIT 50)
      UNION (SELECT id FROM members WHERE organisation_id = ANY($1::uuid[]) AND postcode = $4 LIMIT 50))
    AND (lower(m.legal_name) % $2 OR lower(m.preferred_name) % $2 OR m.date_of_birth = $3::date OR m.postcode = $4)`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export type DuplicateSearchSummary = {
  people: number;
  probes: number;
  ours: { p50: number; p99: number };
  hand: { p50: number; p99: number };
  meanCandidates: number;
};

/**
 * Times the duplicate check (our repo function, through Kysely, with its ranking) and the same query
 * typed by hand (pg, no ranking), probe by probe in turn, so drift on the machine affects both alike.
 *
 * @param db - the database.
 * @param url - the same database's address, for the hand-written query's own pg client.
 * @param organisationId - whose people to search.
 * @param people - how many people were seeded.
 * @param count - how many probes.
 * @returns the percentiles in milliseconds.
 */
export async function measureDuplicateSearch(
  db: Db,
  url: string,
  organisationId: string,
  people: number,
  count: number,
): Promise<DuplicateSearchSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sample = await probes(db, count);
    const ours: number[] = [];
    const hand: number[] = [];
    let candidates = 0;
    // One warm-up pass of each, so neither pays for the cold cache.
    for (const probe of sample.slice(0, 10)) {
      await findPossibleDuplicates(db, [organisationId], probe);
      await client.query(HAND_WRITTEN, [
        [organisationId],
        probe.name.toLowerCase(),
        probe.dateOfBirth ?? null,
        probe.postcode ?? null,
      ]);
    }
    for (const probe of sample) {
      let started = performance.now();
      const found = await findPossibleDuplicates(db, [organisationId], probe);
      ours.push(performance.now() - started);
      candidates += found.length;
      started = performance.now();
      await client.query(HAND_WRITTEN, [
        [organisationId],
        probe.name.toLowerCase(),
        probe.dateOfBirth ?? null,
        probe.postcode ?? null,
      ]);
      hand.push(performance.now() - started);
    }
    ours.sort((a, b) => a - b);
    hand.sort((a, b) => a - b);
    return {
      people,
      probes: sample.length,
      ours: { p50: percentile(ours, 50), p99: percentile(ours, 99) },
      hand: { p50: percentile(hand, 50), p99: percentile(hand, 99) },
      meanCandidates: candidates / sample.length,
    };
  } finally {
    await client.end();
  }
}

/**
 * Inserts referrals waiting in an organisation's inbox, as the inbox page's load test reads them.
 *
 * @param db - the database.
 * @param organisationId - who holds them.
 * @param count - how many.
 */
export async function seedReferrals(db: Db, organisationId: string, count: number): Promise<void> {
  const start = Date.UTC(2026, 0, 5, 9);
  // References are 8 characters from the unambiguous alphabet: the row number written in base 32.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const reference = (i: number) =>
    `R${Array.from({ length: 8 }, (_, place) => alphabet[Math.floor(i / 32 ** (7 - place)) % 32]).join('')}`;
  const rows = Array.from({ length: count }, (_, i) => {
    const receivedAt = new Date(start + i * 3_600_000);
    return {
      id: randomUUID(),
      reference: reference(i),
      organisation_id: organisationId,
      source: i % 4 === 0 ? ('gp' as const) : ('self' as const),
      referrer_name: i % 4 === 0 ? 'Dr Bench' : null,
      received_at: receivedAt,
      first_contact_due: receivedAt.toISOString().slice(0, 10),
      name: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}`,
      service_id: null,
      preferred_name: null,
      date_of_birth: null,
      email: null,
      phone: null,
      postal_address: null,
      contact_methods: ['phone'],
      safe_to_leave_message: null,
      best_times: null,
      communication_needs: [],
      preferred_language: null,
      communication_needs_other: null,
      nhs_number: null,
      gp_practice: null,
      submission_key: null,
      own_words: 'Synthetic referral for the inbox benchmark.',
      hopes: '',
      consent_to_referral: true,
      consent_to_contact: true,
      created_at: receivedAt,
      updated_at: receivedAt,
    };
  });
  for (let from = 0; from < rows.length; from += 1000) {
    await db
      .insertInto('referrals')
      .values(rows.slice(from, from + 1000))
      .execute();
  }
}
