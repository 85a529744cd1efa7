import { sql, type Kysely } from 'kysely';

/**
 * Plans the member owns, with every version kept.
 *
 * - `plans`: one row per plan (a member's Resource and Support Plan, safety plan, each goal, advance
 *   statement, network map), the number of its current version, and the member's sharing choices.
 * - `plan_versions`: every saved version, never changed or deleted (a trigger refuses both), with who
 *   saved it, in what role, how it was agreed, and the version it started from.
 * - `plan_proposals`: a worker's proposed change, waiting for the member to accept or decline it.
 * - `plan_break_glass`: each time someone not on the member's team opened the crisis view, and why.
 * - `member_notices`: what the member is told (for now, that someone opened their crisis view).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE plans (
    id uuid PRIMARY KEY,
    member_id uuid NOT NULL REFERENCES members (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    kind text NOT NULL CHECK (kind IN ('resource_and_support', 'safety', 'goal', 'advance_statement',
      'network_map')),
    current_version integer NOT NULL DEFAULT 0 CHECK (current_version >= 0),
    share_with_team boolean NOT NULL DEFAULT true,
    share_with_partner boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE INDEX plans_member ON plans (member_id)`.execute(db);
  // One of each kind per member, except goals (one plan per goal).
  await sql`CREATE UNIQUE INDEX plans_one_per_member ON plans (member_id, kind) WHERE kind <> 'goal'`.execute(
    db,
  );

  await sql`CREATE TABLE plan_versions (
    plan_id uuid NOT NULL REFERENCES plans (id),
    number integer NOT NULL CHECK (number >= 1),
    based_on integer NOT NULL CHECK (based_on = number - 1),
    content jsonb NOT NULL,
    summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 300),
    saved_by_kind text NOT NULL CHECK (saved_by_kind IN ('member', 'staff')),
    saved_by_staff_id uuid REFERENCES staff (id),
    saved_by_role text NOT NULL,
    how text NOT NULL CHECK (how IN ('member_edit', 'accepted_proposal', 'agreed_in_person')),
    proposal_id uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (plan_id, number),
    CHECK ((saved_by_kind = 'staff') = (saved_by_staff_id IS NOT NULL)),
    CHECK ((how = 'agreed_in_person') = (saved_by_kind = 'staff')),
    CHECK ((how = 'accepted_proposal') = (proposal_id IS NOT NULL))
  )`.execute(db);
  await sql`CREATE FUNCTION plan_versions_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'plan versions are kept as saved: they are never changed or deleted';
    END $$`.execute(db);
  await sql`CREATE TRIGGER plan_versions_kept BEFORE UPDATE OR DELETE ON plan_versions
    FOR EACH ROW EXECUTE FUNCTION plan_versions_are_kept()`.execute(db);

  await sql`CREATE TABLE plan_proposals (
    id uuid PRIMARY KEY,
    plan_id uuid NOT NULL REFERENCES plans (id),
    based_on integer NOT NULL CHECK (based_on >= 0),
    content jsonb NOT NULL,
    summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 300),
    proposed_by uuid NOT NULL REFERENCES staff (id),
    proposer_role text NOT NULL,
    proposed_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'accepted', 'declined')),
    decided_at timestamptz,
    accepted_as integer,
    CHECK ((status = 'waiting') = (decided_at IS NULL)),
    CHECK ((status = 'accepted') = (accepted_as IS NOT NULL))
  )`.execute(db);
  await sql`CREATE INDEX plan_proposals_waiting ON plan_proposals (plan_id) WHERE status = 'waiting'`.execute(
    db,
  );
  await sql`ALTER TABLE plan_versions ADD FOREIGN KEY (proposal_id) REFERENCES plan_proposals (id)`.execute(
    db,
  );

  await sql`CREATE TABLE plan_break_glass (
    id uuid PRIMARY KEY,
    member_id uuid NOT NULL REFERENCES members (id),
    staff_id uuid NOT NULL REFERENCES staff (id),
    reason text NOT NULL CHECK (length(reason) BETWEEN 10 AND 1000),
    opened_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > opened_at)
  )`.execute(db);
  await sql`CREATE INDEX plan_break_glass_member ON plan_break_glass (member_id, opened_at)`.execute(db);

  await sql`CREATE TABLE member_notices (
    id uuid PRIMARY KEY,
    member_id uuid NOT NULL REFERENCES members (id),
    kind text NOT NULL CHECK (kind IN ('crisis_view_opened')),
    text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    created_at timestamptz NOT NULL,
    seen_at timestamptz
  )`.execute(db);
  await sql`CREATE INDEX member_notices_member ON member_notices (member_id, created_at)`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
