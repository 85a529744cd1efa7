import { Migrator, type Kysely, type Migration } from 'kysely';

/**
 * Runs every migration not yet applied, in order, under Kysely's advisory lock so that several
 * application processes starting together apply each migration once.
 *
 * @param db - a connection with the rights to create tables.
 * @param migrations - the ordered list from src/migrations.
 * @throws Error naming the migration that failed.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  migrations: Record<string, Migration>,
): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}
