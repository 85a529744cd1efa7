import { sql, type Kysely } from 'kysely';

/**
 * Organisations (a charity, an NHS trust, others), the services they deliver together, their
 * localities and bases, and the information-sharing agreements that say what each partner may see.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE organisations (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    kind text NOT NULL CHECK (kind IN ('charity', 'nhs_trust', 'other')),
    ods_code text CHECK (ods_code ~ '^[A-Z0-9]{3,6}$'),
    is_host boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  // Exactly one host organisation: the one that set the service up and administers partnerships.
  await sql`CREATE UNIQUE INDEX organisations_one_host ON organisations (is_host) WHERE is_host`.execute(db);
  await sql`CREATE UNIQUE INDEX organisations_name ON organisations (lower(name))`.execute(db);

  await sql`CREATE TABLE localities (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
  )`.execute(db);

  await sql`CREATE TABLE bases (
    id uuid PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    locality_id uuid REFERENCES localities (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    address text NOT NULL CHECK (length(address) <= 500),
    postcode text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (organisation_id, name)
  )`.execute(db);

  await sql`CREATE TABLE services (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    lead_organisation_id uuid NOT NULL REFERENCES organisations (id),
    first_contact_working_days integer NOT NULL DEFAULT 5 CHECK (first_contact_working_days BETWEEN 1 AND 60),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1
  )`.execute(db);
  await sql`CREATE TABLE service_organisations (
    service_id uuid NOT NULL REFERENCES services (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (service_id, organisation_id)
  )`.execute(db);

  await sql`CREATE TABLE sharing_agreements (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    starts_on date NOT NULL,
    ends_on date,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version integer NOT NULL DEFAULT 1,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
  )`.execute(db);
  await sql`CREATE TABLE sharing_agreement_parties (
    agreement_id uuid NOT NULL REFERENCES sharing_agreements (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (agreement_id, organisation_id)
  )`.execute(db);
  // A grant: this party may see this category of the other parties' records while the agreement runs.
  await sql`CREATE TABLE sharing_agreement_grants (
    agreement_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    category text NOT NULL,
    PRIMARY KEY (agreement_id, organisation_id, category),
    FOREIGN KEY (agreement_id, organisation_id) REFERENCES sharing_agreement_parties (agreement_id, organisation_id) ON DELETE CASCADE
  )`.execute(db);
}

export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
