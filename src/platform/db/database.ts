import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';

// Dates (no time) stay as 'YYYY-MM-DD' strings: turning them into Date objects would shift them by the
// server's time zone, and a date of birth must never move.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/**
 * A database handle whose table types the caller does not need to know (platform code that works on
 * its own tables only). `Kysely<Database>` is assignable to it; platform code narrows it with
 * a cast to its own tables' type before use.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one place the platform erases table types
export type AnyDb = Kysely<any>;

export type { Transaction };

/**
 * Opens a connection pool and a typed query builder over it.
 *
 * @param url - PostgreSQL connection string.
 * @param poolSize - the most connections to hold open.
 * @param onPoolError - told about errors on idle connections (the server went away), which pg would
 *   otherwise throw and crash the process; the pool reconnects by itself on the next query.
 * @returns the query builder and its pool.
 */
export function openDatabase<DB>(
  url: string,
  poolSize: number,
  onPoolError: (error: Error) => void,
): { db: Kysely<DB>; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A request never waits on the database for ever: a stuck statement is cancelled after 30 s.
    statement_timeout: 30_000,
  });
  pool.on('error', onPoolError);
  // A connection that drops while checked out for a query emits 'error' on its client, which would
  // crash the process without a listener; the query itself still fails and the request gets a 503.
  pool.on('connect', (client) => client.on('error', onPoolError));
  return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/**
 * Whether an error means the database could not be reached (as opposed to a bad query).
 *
 * @param error - anything thrown.
 * @returns true for connection failures and server shutdowns (SQLSTATE class 08 and 57P0x).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code) ||
    code.startsWith('08') ||
    code.startsWith('57P0') ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      e?.message ?? '',
    )
  );
}
