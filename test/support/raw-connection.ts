import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../../server/storage/database';

/** A plain connection to a test database that neither migrates nor checks it, to look at it as it is. */
export function rawConnection(config: DatabaseConfig): Kysely<unknown> {
  return config.kind === 'sqlite'
    ? new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(config.file) }) })
    : new Kysely<unknown>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: config.url, max: 1 }) }),
      });
}
