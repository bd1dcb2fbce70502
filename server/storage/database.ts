import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: DatabaseConfig['kind'];
  /** Human-readable location for the start-up banner (never includes a password). */
  describe: string;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: DatabaseConfig): Promise<OpenDatabase> {
  const opened = config.kind === 'sqlite' ? openSqlite(config.file) : await openPostgres(config.url);
  const migrator = new Migrator({
    db: opened.db,
    provider: migrationProvider({ idType: config.kind === 'sqlite' ? 'integer' : 'serial' }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await opened.db.destroy();
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(
      `Database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return opened;
}

function openSqlite(file: string): OpenDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the writer; synchronous=FULL makes every acknowledged commit
  // durable even if the machine loses power right after we answered.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Ingest touches several indexes with random keys: a 64 MB page cache and rarer checkpoints keep
  // them in memory between commits (measured by bench:ingest: batches ~22k -> ~28k completions/s).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 10000');
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
    kind: 'sqlite',
    describe: file,
  };
}

async function openPostgres(url: string): Promise<OpenDatabase> {
  // Imported lazily so SQLite users never load the pg driver.
  const [{ default: pg }, { PostgresDialect }] = await Promise.all([import('pg'), import('kysely')]);
  // int8 (COUNT) and serial come back as strings by default; every id and count here fits a number.
  pg.types.setTypeParser(20, (value: string) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection can die (database restart, admin termination); pg emits that on the pool,
  // and unhandled it would crash the server. The pool replaces the connection on next use.
  pool.on('error', (error) => console.error(`PostgreSQL connection lost (reconnecting on next use): ${error.message}`));
  const redacted = new URL(url);
  redacted.password = redacted.password ? '***' : '';
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    kind: 'postgres',
    describe: redacted.toString(),
  };
}
