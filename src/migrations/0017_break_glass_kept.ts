import { sql, type Kysely } from 'kysely';

/**
 * A break-glass opening of someone's crisis view is what the member is told about and what "who has
 * looked at my record" lists, with the reason given. Like the audit trail and plan versions, it is
 * kept as recorded: the database refuses any change or deletion, whoever asks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE FUNCTION plan_break_glass_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'break-glass openings are kept as recorded: they are never changed or deleted';
    END $$`.execute(db);
  await sql`CREATE TRIGGER plan_break_glass_kept BEFORE UPDATE OR DELETE ON plan_break_glass
    FOR EACH ROW EXECUTE FUNCTION plan_break_glass_is_kept()`.execute(db);
}

/** Not reversible: restore from a backup instead, as for the other migrations. */
export function down(): Promise<void> {
  return Promise.reject(new Error('Not reversible: restore from a backup instead.'));
}
