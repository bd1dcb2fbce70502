import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial';
import * as completions from './002-completions';
import * as portalOrigins from './003-portal-origins';
import * as workflows from './007-workflows';

/** What differs between the dialects in DDL; everything else is written once. */
export interface MigrationContext {
  /** Auto-incrementing integer key: `integer` (SQLite rowid alias) or `serial` (PostgreSQL). */
  idType: 'integer' | 'serial';
}

type MigrationModule = {
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
  down(db: Kysely<unknown>): Promise<void>;
};

const MIGRATIONS: Record<string, MigrationModule> = {
  '001-initial': initial,
  '002-completions': completions,
  '003-portal-origins': portalOrigins,
  '007-workflows': workflows,
};

/** Kysely's provider over the statically imported migrations (no file-system scanning at runtime). */
export function migrationProvider(context: MigrationContext): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          Object.entries(MIGRATIONS).map(([name, module]): [string, Migration] => [
            name,
            { up: (db) => module.up(db, context), down: (db) => module.down(db) },
          ]),
        ),
      ),
  };
}
