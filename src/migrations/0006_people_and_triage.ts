import { sql, type Kysely } from 'kysely';

/**
 * People the service supports (members), the people around them, their consent choices, their episodes
 * of support and the follow-up of non-engagement; and triage of referrals: professional referrers, who
 * the referral is about once linked to a member, contact attempts and every status change with its reason.
 *
 * Duplicate checks at triage compare names by trigram similarity (pg_trgm, a trusted contrib extension
 * since PostgreSQL 13, so a database owner may create it), with exact date of birth, NHS number,
 * postcode, email and phone. Nothing is ever merged automatically.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  // Each service sets how long without contact counts as disengaged, and how long after a discharge a
  // re-referral picks up the person's history ("the door stays open") rather than starting over.
  await sql`ALTER TABLE services
    ADD COLUMN non_engagement_weeks integer NOT NULL DEFAULT 4 CHECK (non_engagement_weeks BETWEEN 1 AND 52),
    ADD COLUMN door_open_weeks integer NOT NULL DEFAULT 26 CHECK (door_open_weeks BETWEEN 0 AND 104)`.execute(
    db,
  );

  await sql`CREATE TABLE members (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    legal_name text NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    preferred_name text CHECK (length(preferred_name) BETWEEN 1 AND 200),
    pronouns text CHECK (length(pronouns) <= 50),
    date_of_birth date,
    email citext CHECK (length(email) <= 254),
    phone text CHECK (length(phone) <= 30),
    postal_address text CHECK (length(postal_address) <= 500),
    postcode text CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
    nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
    gp_practice text CHECK (length(gp_practice) <= 200),
    contact_methods text[] NOT NULL DEFAULT '{}'
      CHECK (contact_methods <@ ARRAY['phone', 'text', 'email', 'letter']::text[]),
    safe_to_leave_message boolean,
    best_times text CHECK (length(best_times) <= 500),
    communication_needs text[] NOT NULL DEFAULT '{}'
      CHECK (communication_needs <@ ARRAY['large_print', 'easy_read', 'bsl_interpreter', 'another_language',
        'phone_first', 'other']::text[]),
    preferred_language text CHECK (length(preferred_language) <= 100),
    communication_needs_other text CHECK (length(communication_needs_other) <= 500),
    emergency_contact_name text CHECK (length(emergency_contact_name) <= 200),
    emergency_contact_phone text CHECK (length(emergency_contact_phone) <= 30),
    emergency_contact_relationship text CHECK (length(emergency_contact_relationship) <= 100),
    -- Equality monitoring is optional, and "prefer not to say" is an answer ('Z' in the NHS codes).
    ethnic_category text CHECK (ethnic_category ~ '^([A-HJ-NPRSZ]|99)$'),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE INDEX members_organisation ON members (organisation_id)`.execute(db);
  // GiST trigram indexes answer "the nearest names first" (ORDER BY name <-> probe LIMIT k), so the
  // duplicate check reads a few close names instead of every name sharing a common first name.
  await sql`CREATE INDEX members_legal_name_trgm ON members USING gist (lower(legal_name) gist_trgm_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX members_preferred_name_trgm ON members USING gist (lower(preferred_name) gist_trgm_ops)`.execute(
    db,
  );
  await sql`CREATE INDEX members_date_of_birth ON members (date_of_birth)`.execute(db);
  await sql`CREATE INDEX members_nhs_number ON members (nhs_number)`.execute(db);
  await sql`CREATE INDEX members_postcode ON members (postcode)`.execute(db);
  await sql`CREATE INDEX members_email ON members (email)`.execute(db);
  // Phones are compared by their digits alone, so "07700 900123" finds "07700900123".
  await sql`CREATE INDEX members_phone_digits ON members (regexp_replace(phone, '[^0-9]', '', 'g'))`.execute(
    db,
  );

  // Carers and other people in a member's life; a carer is supported as a person in their own right.
  await sql`CREATE TABLE member_people (
    id uuid PRIMARY KEY,
    member_id uuid NOT NULL REFERENCES members (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    relationship text NOT NULL CHECK (length(relationship) BETWEEN 1 AND 100),
    is_carer boolean NOT NULL DEFAULT false,
    phone text CHECK (length(phone) <= 30),
    email citext CHECK (length(email) <= 254),
    may_contact boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE INDEX member_people_member ON member_people (member_id)`.execute(db);

  // Consent and information-sharing choices: what, with whom, recorded by whom and when; withdrawal
  // is recorded on the same row, never by deleting it.
  await sql`CREATE TABLE member_consents (
    id uuid PRIMARY KEY,
    member_id uuid NOT NULL REFERENCES members (id),
    about text NOT NULL CHECK (length(about) BETWEEN 1 AND 200),
    with_whom text NOT NULL CHECK (length(with_whom) BETWEEN 1 AND 200),
    given boolean NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by uuid NOT NULL REFERENCES staff (id),
    withdrawn_at timestamptz,
    withdrawn_by uuid REFERENCES staff (id),
    CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
  )`.execute(db);
  await sql`CREATE INDEX member_consents_member ON member_consents (member_id)`.execute(db);

  await sql`CREATE TABLE episodes (
    id uuid PRIMARY KEY,
    member_id uuid NOT NULL REFERENCES members (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    service_id uuid REFERENCES services (id),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'discharged')),
    started_on date NOT NULL,
    anticipated_end_on date,
    review_on date,
    discharged_on date,
    discharge_reason text CHECK (length(discharge_reason) BETWEEN 1 AND 1000),
    -- A person who comes back soon after a discharge carries on where they left off ("the door stays open").
    continues_episode_id uuid REFERENCES episodes (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1,
    CHECK (anticipated_end_on IS NULL OR anticipated_end_on >= started_on),
    CHECK ((status = 'discharged') = (discharged_on IS NOT NULL AND discharge_reason IS NOT NULL)),
    CHECK (discharged_on IS NULL OR discharged_on >= started_on)
  )`.execute(db);
  await sql`CREATE INDEX episodes_member ON episodes (member_id)`.execute(db);
  await sql`CREATE INDEX episodes_organisation_status ON episodes (organisation_id, status)`.execute(db);
  // One episode of support at a time for a person in a service.
  await sql`CREATE UNIQUE INDEX episodes_one_active ON episodes (member_id, coalesce(service_id, member_id))
    WHERE status = 'active'`.execute(db);

  await sql`CREATE TABLE episode_key_workers (
    episode_id uuid NOT NULL REFERENCES episodes (id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    PRIMARY KEY (episode_id, staff_id)
  )`.execute(db);
  await sql`CREATE INDEX episode_key_workers_staff ON episode_key_workers (staff_id)`.execute(db);

  // The follow-up ladder for someone who has stopped coming: call, text, letter, review. Each attempt is
  // kept; a conversation counts as engagement, and nothing here ever discharges anyone by itself.
  await sql`CREATE TABLE engagement_follow_ups (
    id uuid PRIMARY KEY,
    episode_id uuid NOT NULL REFERENCES episodes (id),
    step text NOT NULL CHECK (step IN ('call', 'text', 'letter', 'review')),
    outcome text NOT NULL CHECK (outcome IN ('spoke', 'no_answer', 'left_message', 'sent', 'reviewed')),
    note text CHECK (length(note) <= 2000),
    at timestamptz NOT NULL,
    staff_id uuid NOT NULL REFERENCES staff (id)
  )`.execute(db);
  await sql`CREATE INDEX engagement_follow_ups_episode ON engagement_follow_ups (episode_id, at)`.execute(db);

  // The one engagement query: each active episode's last time the person was in touch. Contacts and
  // group attendance join this view as their modules arrive (CREATE OR REPLACE VIEW in their migration).
  await sql`CREATE VIEW episode_engagement AS
    SELECT e.id AS episode_id, e.member_id, e.organisation_id, e.service_id, e.started_on,
      greatest(e.started_on::timestamptz,
        (SELECT max(f.at) FROM engagement_follow_ups f WHERE f.episode_id = e.id AND f.outcome = 'spoke')
      ) AS last_engaged_at
    FROM episodes e
    WHERE e.status = 'active'`.execute(db);

  await sql`ALTER TABLE referrals
    ADD COLUMN postcode text CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$'),
    ADD COLUMN referrer_name text CHECK (length(referrer_name) BETWEEN 1 AND 200),
    ADD COLUMN referrer_role text CHECK (length(referrer_role) <= 200),
    ADD COLUMN referrer_organisation text CHECK (length(referrer_organisation) <= 200),
    ADD COLUMN referrer_email citext CHECK (length(referrer_email) <= 254),
    ADD COLUMN referrer_phone text CHECK (length(referrer_phone) <= 30),
    ADD COLUMN safety_information text CHECK (length(safety_information) <= 5000),
    ADD COLUMN member_id uuid REFERENCES members (id),
    ADD COLUMN episode_id uuid REFERENCES episodes (id),
    ADD COLUMN previous_referral_id uuid REFERENCES referrals (id),
    ADD COLUMN welcome_at timestamptz,
    ADD COLUMN outcome_reason text CHECK (length(outcome_reason) BETWEEN 1 AND 2000),
    ADD COLUMN outcome_where text CHECK (length(outcome_where) BETWEEN 1 AND 500),
    ADD COLUMN closed_at timestamptz,
    ADD CONSTRAINT referrals_referrer_named CHECK (source = 'self' OR referrer_name IS NOT NULL),
    ADD CONSTRAINT referrals_closed_with_reason CHECK (
      (status IN ('accepted', 'signposted', 'declined', 'withdrawn')) = (closed_at IS NOT NULL AND outcome_reason IS NOT NULL)),
    ADD CONSTRAINT referrals_signposted_where CHECK (status <> 'signposted' OR outcome_where IS NOT NULL),
    ADD CONSTRAINT referrals_accepted_episode CHECK (status <> 'accepted' OR episode_id IS NOT NULL)`.execute(
    db,
  );
  await sql`CREATE INDEX referrals_member ON referrals (member_id)`.execute(db);
  // The inbox: an organisation's referrals, longest waiting first.
  await sql`CREATE INDEX referrals_inbox ON referrals (organisation_id, received_at, id)`.execute(db);

  await sql`CREATE TABLE referral_contact_attempts (
    id uuid PRIMARY KEY,
    referral_id uuid NOT NULL REFERENCES referrals (id),
    at timestamptz NOT NULL,
    channel text NOT NULL CHECK (channel IN ('phone', 'text', 'email', 'letter', 'in_person')),
    outcome text NOT NULL CHECK (outcome IN ('spoke', 'no_answer', 'left_message', 'sent', 'wrong_details')),
    note text CHECK (length(note) <= 2000),
    staff_id uuid NOT NULL REFERENCES staff (id)
  )`.execute(db);
  await sql`CREATE INDEX referral_contact_attempts_referral ON referral_contact_attempts (referral_id, at)`.execute(
    db,
  );

  // Every change of status, with who made it and why, for the referral's own history.
  await sql`CREATE TABLE referral_status_changes (
    id uuid PRIMARY KEY,
    referral_id uuid NOT NULL REFERENCES referrals (id),
    from_status text NOT NULL,
    to_status text NOT NULL,
    reason text CHECK (length(reason) <= 2000),
    at timestamptz NOT NULL,
    staff_id uuid NOT NULL REFERENCES staff (id)
  )`.execute(db);
  await sql`CREATE INDEX referral_status_changes_referral ON referral_status_changes (referral_id, at)`.execute(
    db,
  );
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
