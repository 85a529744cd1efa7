import { sql, type Kysely } from 'kysely';

/**
 * Referrals (the front door) and the drafts of self-referrals in progress. A draft holds what a person
 * has typed so far, found again by a signed cookie or a short resume code whose SHA-256 alone is kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE referrals (
    id uuid PRIMARY KEY,
    reference text NOT NULL UNIQUE CHECK (reference ~ '^R[A-HJ-NP-Z2-9]{8}$'),
    service_id uuid REFERENCES services (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    source text NOT NULL CHECK (source IN ('self', 'gp', 'community_mental_health_team', 'crisis_team',
      'hospital_discharge', 'talking_therapies', 'voluntary_sector', 'social_care', 'step_down', 'other')),
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contact_attempted', 'welcome_booked',
      'accepted', 'signposted', 'declined', 'withdrawn')),
    received_at timestamptz NOT NULL,
    first_contact_due date NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    preferred_name text CHECK (length(preferred_name) <= 200),
    date_of_birth date,
    email citext CHECK (length(email) <= 254),
    phone text CHECK (length(phone) <= 30),
    postal_address text CHECK (length(postal_address) <= 500),
    contact_methods text[] NOT NULL DEFAULT '{}'
      CHECK (contact_methods <@ ARRAY['phone', 'text', 'email', 'letter']::text[]),
    safe_to_leave_message boolean,
    best_times text CHECK (length(best_times) <= 500),
    communication_needs text[] NOT NULL DEFAULT '{}'
      CHECK (communication_needs <@ ARRAY['large_print', 'easy_read', 'bsl_interpreter', 'another_language',
        'phone_first', 'other']::text[]),
    preferred_language text CHECK (length(preferred_language) <= 100),
    communication_needs_other text CHECK (length(communication_needs_other) <= 500),
    nhs_number text CHECK (nhs_number ~ '^[0-9]{10}$'),
    gp_practice text CHECK (length(gp_practice) <= 200),
    own_words text NOT NULL CHECK (length(own_words) BETWEEN 1 AND 5000),
    hopes text NOT NULL CHECK (length(hopes) <= 5000),
    consent_to_referral boolean NOT NULL,
    consent_to_contact boolean NOT NULL,
    submission_key text UNIQUE CHECK (length(submission_key) <= 100),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE INDEX referrals_organisation_status ON referrals (organisation_id, status)`.execute(db);
  await sql`CREATE INDEX referrals_service ON referrals (service_id)`.execute(db);

  await sql`CREATE TABLE referral_drafts (
    id uuid PRIMARY KEY,
    code_hash text UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    answers jsonb NOT NULL DEFAULT '{}',
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX referral_drafts_expires_at ON referral_drafts (expires_at)`.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
