import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';
import { log } from '../log';
import { migrationProvider } from './migrations';
import { refuseNewerDatabase } from './schema-level';
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
  try {
    await refuseNewerDatabase(opened.db, opened.describe);
  } catch (error) {
    await opened.db.destroy();
    throw error;
  }
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
  // The CLI (keys, origins) writes from its own process: one waits for the other's commit.
  sqlite.pragma('busy_timeout = 5000');
  // Ingest touches several indexes with random keys: a 64 MB page cache and rarer checkpoints keep
  // them in memory between commits (measured by bench:ingest: batches ~22k -> ~28k completions/s).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 10000');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  sqliteHandles.set(db, sqlite);
  return { db, kind: 'sqlite', describe: file };
}

const sqliteHandles = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * The better-sqlite3 connection under a SQLite database opened here (undefined on PostgreSQL), for
 * bulk writes that Kysely's query building would slow down. Use it only inside a Kysely transaction
 * of that database: Kysely serialises everything on this one connection, so the raw statements run
 * in that transaction and nothing else runs in between.
 */
export function sqliteHandleOf(db: Kysely<Database>): SQLite.Database | undefined {
  return sqliteHandles.get(db);
}

/**
 * Transactions that take the write lock when they begin. The server and the CLI both write; a
 * deferred transaction that read first and writes later fails at once (SQLITE_BUSY, busy_timeout
 * does not apply) when the other process committed in between; an immediate one waits its turn.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Statements kept prepared; enough for every fixed query, with room for IN lists of varying length. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew; compiling the SQL again costs more than running
 * a small statement. This keeps the most recently used prepared statements, by SQL text. Safe
 * because the driver only calls `all`/`run` (a statement is never left mid-iteration), and one
 * connection serves every query in turn.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-inserted below, as the most recently used
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
    close: () => sqlite.close(),
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
  pool.on('error', (error) => log('warn', 'PostgreSQL connection lost (reconnecting on next use)', { error }));
  const redacted = new URL(url);
  redacted.password = redacted.password ? '***' : '';
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    kind: 'postgres',
    describe: redacted.toString(),
  };
}
