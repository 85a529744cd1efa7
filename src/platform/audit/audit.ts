import { createHash, randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AnyDb } from '../db/database.ts';
import type { AuditDetails, AuditEventsTable, AuditTables } from './audit.tables.ts';

/** Who did something, as the audit trail records it. */
export type AuditActor = {
  type: 'staff' | 'member' | 'system' | 'anonymous';
  id?: string | null;
  role?: string | null;
  organisationId?: string | null;
};

/** Where a request came from, carried from the HTTP layer into every audit row it causes. */
export type AuditOrigin = { requestId?: string | null; ip?: string | null };

export type AuditEvent = {
  /** What happened, as `<noun>.<past tense verb>` (e.g. `staff.invited`) or `<noun>.read` for a read. */
  action: string;
  subject: { type: string; id?: string | null };
  actor: AuditActor;
  origin?: AuditOrigin;
  /** Ids and outcomes only: never a person's details or free text. */
  details?: AuditDetails;
  at: Date;
};

export type AuditRow = Selectable<AuditEventsTable>;

/** The hash the first row of the chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

// One constant advisory-lock key: audit writers take turns, so each row links to the one committed before it.
const AUDIT_CHAIN_LOCK = 7_340_001;

function hashOf(previousHash: string, row: Omit<AuditRow, 'seq' | 'hash' | 'prev_hash'>): string {
  const body = canonicalize([
    row.id,
    row.occurred_at.toISOString(),
    row.actor_type,
    row.actor_id,
    row.actor_role,
    row.actor_organisation_id,
    row.action,
    row.subject_type,
    row.subject_id,
    row.request_id,
    row.ip,
    row.details,
  ]);
  return createHash('sha256')
    .update(`${previousHash}\n${body ?? ''}`)
    .digest('hex');
}

/**
 * Appends an event to the tamper-evident audit trail, inside the caller's transaction.
 *
 * The row commits with the change it records or not at all. Each row carries the SHA-256 of its
 * content and of the row before it, so a changed or removed row breaks the chain (reliability plan L3).
 *
 * @param tx - the transaction that makes the change (or reads the record).
 * @param event - what happened, to what, by whom.
 */
export async function recordAudit(tx: AnyDb, event: AuditEvent): Promise<void> {
  const db = tx as unknown as Kysely<AuditTables>;
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(db);
  const last = await db
    .selectFrom('audit_events')
    .select('hash')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    id: randomUUID(),
    occurred_at: event.at,
    actor_type: event.actor.type,
    actor_id: event.actor.id ?? null,
    actor_role: event.actor.role ?? null,
    actor_organisation_id: event.actor.organisationId ?? null,
    action: event.action,
    subject_type: event.subject.type,
    subject_id: event.subject.id ?? null,
    request_id: event.origin?.requestId ?? null,
    ip: event.origin?.ip ?? null,
    details: event.details ?? {},
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await db
    .insertInto('audit_events')
    .values({
      ...row,
      details: JSON.stringify(row.details),
      prev_hash: prevHash,
      hash: hashOf(prevHash, row),
    })
    .execute();
}

/**
 * Lists the audit trail of one record, newest first.
 *
 * @param db - any connection.
 * @param subject - the record.
 * @param limit - the most rows to return.
 * @returns the rows.
 */
export async function listAuditForSubject(
  db: AnyDb,
  subject: { type: string; id: string },
  limit = 200,
): Promise<AuditRow[]> {
  const audit = db as unknown as Kysely<AuditTables>;
  return audit
    .selectFrom('audit_events')
    .selectAll()
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export type ChainReport =
  { ok: true; rows: number } | { ok: false; rows: number; brokenAt: string; reason: string };

/**
 * Walks the whole audit trail in order and checks every link and every row's hash.
 *
 * @param db - any connection.
 * @param batchSize - rows read per query.
 * @returns ok with the row count, or the first row where the chain breaks and why.
 */
export async function verifyAuditChain(db: AnyDb, batchSize = 5_000): Promise<ChainReport> {
  const audit = db as unknown as Kysely<AuditTables>;
  let previousHash = GENESIS_HASH;
  let afterSeq = '0';
  let rows = 0;
  for (;;) {
    const batch = await audit
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    for (const row of batch) {
      if (row.prev_hash !== previousHash) {
        return { ok: false, rows, brokenAt: row.seq, reason: 'a row before this one was changed or removed' };
      }
      if (hashOf(row.prev_hash, row) !== row.hash) {
        return { ok: false, rows, brokenAt: row.seq, reason: 'this row was changed after it was written' };
      }
      previousHash = row.hash;
      afterSeq = row.seq;
      rows += 1;
    }
    if (batch.length < batchSize) {
      return { ok: true, rows };
    }
  }
}
