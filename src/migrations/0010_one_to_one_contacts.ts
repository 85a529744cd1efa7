import { sql, type Kysely } from 'kysely';

/**
 * One-to-one contacts with members: a contact that happened, or one booked for later (planned) that
 * is afterwards recorded as happened or as not happened. Each has one or more workers and may carry
 * next steps (tasks with who and by when).
 *
 * The non-engagement view and the staff calendar feed read these tables by name: `contacts`
 * (`occurred_at`, `status`) and `contact_workers (contact_id, staff_id)`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE contacts (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    member_id uuid NOT NULL REFERENCES members (id),
    -- The member's current episode of support when the contact was recorded, if they had one.
    episode_id uuid REFERENCES episodes (id),
    contact_type text NOT NULL CHECK (contact_type IN ('welcome_conversation', 'peer_support',
      'check_in_call', 'crisis_support', 'accompanied_appointment', 'follow_up_after_non_attendance',
      'signposting_conversation')),
    mode text NOT NULL CHECK (mode IN ('in_person', 'phone', 'video', 'text', 'email')),
    -- When it happened; for a planned contact, when it is planned for.
    occurred_at timestamptz NOT NULL,
    duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 720),
    venue_id uuid REFERENCES venues (id),
    place text CHECK (length(place) BETWEEN 1 AND 300),
    status text NOT NULL CHECK (status IN ('planned', 'happened', 'did_not_happen')),
    not_happened_reason text CHECK (length(not_happened_reason) BETWEEN 1 AND 500),
    -- Sensitive: shown only on the contact's own page to front-line staff, and every read is audited.
    notes text CHECK (length(notes) <= 10000),
    -- The key the form carried, so a form sent twice records one contact.
    submission_key text CHECK (length(submission_key) BETWEEN 16 AND 100),
    recorded_by uuid NOT NULL REFERENCES staff (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1,
    CONSTRAINT contacts_happened_has_duration CHECK (status <> 'happened' OR duration_minutes IS NOT NULL),
    CONSTRAINT contacts_not_happened_has_reason CHECK ((status = 'did_not_happen') = (not_happened_reason IS NOT NULL)),
    CONSTRAINT contacts_accompanied_has_place CHECK (
      contact_type <> 'accompanied_appointment' OR status <> 'happened' OR place IS NOT NULL OR venue_id IS NOT NULL)
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX contacts_submission_key ON contacts (organisation_id, submission_key)`.execute(
    db,
  );
  await sql`CREATE INDEX contacts_member ON contacts (member_id, occurred_at DESC)`.execute(db);
  // The non-engagement view asks each episode for its last contact that happened.
  await sql`CREATE INDEX contacts_episode_happened ON contacts (episode_id, occurred_at)
    WHERE status = 'happened'`.execute(db);

  await sql`CREATE TABLE contact_workers (
    contact_id uuid NOT NULL REFERENCES contacts (id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    PRIMARY KEY (contact_id, staff_id)
  )`.execute(db);
  await sql`CREATE INDEX contact_workers_staff ON contact_workers (staff_id)`.execute(db);

  await sql`CREATE TABLE contact_next_steps (
    id uuid PRIMARY KEY,
    contact_id uuid NOT NULL REFERENCES contacts (id),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 300),
    assigned_to uuid NOT NULL REFERENCES staff (id),
    due_on date,
    done_at timestamptz,
    done_by uuid REFERENCES staff (id),
    created_at timestamptz NOT NULL,
    created_by uuid NOT NULL REFERENCES staff (id),
    version integer NOT NULL DEFAULT 1,
    CHECK ((done_at IS NULL) = (done_by IS NULL))
  )`.execute(db);
  await sql`CREATE INDEX contact_next_steps_contact ON contact_next_steps (contact_id)`.execute(db);
  await sql`CREATE INDEX contact_next_steps_open ON contact_next_steps (assigned_to, due_on)
    WHERE done_at IS NULL`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
