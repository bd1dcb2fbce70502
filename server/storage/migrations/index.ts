import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial';
import * as completions from './002-completions';
import * as portalOrigins from './003-portal-origins';
import * as analyticsIndex from './004-analytics-index';
import * as imports from './005-imports';
import * as workflows from './007-workflows';
import * as privacy from './008-privacy';
import * as customCode from './009-custom-code';
import * as selectorHealth from './010-selector-health';

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
  '004-analytics-index': analyticsIndex,
  '005-imports': imports,
  '007-workflows': workflows,
  '008-privacy': privacy,
  '009-custom-code': customCode,
  '010-selector-health': selectorHealth,
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
