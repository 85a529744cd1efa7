import { sql } from 'kysely';
import type { AnyDb } from './database.ts';

export type DurabilitySettings = { fsync: string; synchronous_commit: string; full_page_writes: string };

/**
 * Names the settings that would let PostgreSQL lose a write it has acknowledged.
 *
 * Reliability plan R4: a live service must not start on a database that can lose committed records
 * (PostgreSQL manual, "Non-Durable Settings").
 *
 * @param settings - the server's current settings.
 * @returns the unsafe settings, empty when the server is durable.
 */
export function nonDurableSettings(settings: DurabilitySettings): string[] {
  const problems: string[] = [];
  if (settings.fsync !== 'on') {
    problems.push('fsync is off');
  }
  if (settings.synchronous_commit === 'off') {
    problems.push('synchronous_commit is off');
  }
  if (settings.full_page_writes !== 'on') {
    problems.push('full_page_writes is off');
  }
  return problems;
}

/**
 * Reads the durability settings of the connected server.
 *
 * @param db - any connection.
 * @returns the three settings that decide whether a committed write survives a crash.
 */
export async function readDurabilitySettings(db: AnyDb): Promise<DurabilitySettings> {
  const { rows } = await sql<DurabilitySettings>`
    SELECT current_setting('fsync') AS fsync,
           current_setting('synchronous_commit') AS synchronous_commit,
           current_setting('full_page_writes') AS full_page_writes`.execute(db);
  const row = rows[0];
  if (!row) {
    throw new Error('The database did not report its settings');
  }
  return row;
}
