import { sql, type Kysely } from 'kysely';
import { CLICKTRAIL_VERSION } from '../version';
import { migrationProvider } from './migrations';

/** Kysely's own bookkeeping table: one row per migration applied. */
const MIGRATION_TABLE = 'kysely_migration';

/** The migrations this release knows, in order. */
export async function knownMigrations(): Promise<string[]> {
  return Object.keys(await migrationProvider({ idType: 'integer' }).getMigrations()).sort();
}

/**
 * The migrations applied to a database, or `undefined` when it has never been migrated (a new,
 * empty database, or one that is not Clicktrail's).
 */
export async function appliedMigrations<DB>(db: Kysely<DB>): Promise<string[] | undefined> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return undefined;
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(
    db,
  );
  return rows.map((row) => row.name);
}

/** Thrown instead of starting on a database that a newer Clicktrail has migrated. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly unknown: string[],
    where: string,
  ) {
    super(
      `The database ${where} was upgraded by a newer Clicktrail: it has migration${unknown.length === 1 ? '' : 's'} ` +
        `${unknown.join(', ')} that Clicktrail ${CLICKTRAIL_VERSION} does not know. Refusing to use it, so that ` +
        'nothing is written in a shape this version does not understand. Run the newer release, or restore a ' +
        'backup taken before the upgrade (see "Backups" in the README).',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** Refuses a database with migrations this release does not know (run before migrating). */
export async function refuseNewerDatabase<DB>(db: Kysely<DB>, where: string): Promise<void> {
  const applied = await appliedMigrations(db);
  if (!applied) return;
  const known = new Set(await knownMigrations());
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new DatabaseTooNewError(unknown, where);
}
