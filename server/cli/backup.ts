import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { findRunningServer } from '../running-marker';
import type { DatabaseConfig } from '../storage/database';
import { appliedMigrations, knownMigrations } from '../storage/schema-level';

const POSTGRES_ADVICE = `With PostgreSQL, use its own tools (they are consistent while the server runs):
  pg_dump --format=custom --file=clicktrail.dump "$DATABASE_URL"       # backup
  pg_restore --clean --if-exists --dbname="$DATABASE_URL" clicktrail.dump   # restore, servers stopped`;

/** A check that failed, with what the user should do; printed as is, exit code 1. */
class Refusal extends Error {}

/**
 * `npm run server -- backup <file>`: a consistent copy of the SQLite database while the server
 * keeps running. `VACUUM INTO` reads one snapshot in a single read transaction (WAL lets the
 * server keep committing meanwhile), so the copy holds exactly what was committed when it
 * began; SQLite's page-by-page backup API instead restarts whenever the server writes.
 */
export async function runBackupCommand(database: DatabaseConfig, args: string[]): Promise<number> {
  return refusalsToExitCode(async () => {
    if (database.kind === 'postgres') return postgresAdvice('backup');
    const target = oneFileArgument('backup', args);
    if (!target) return 2;
    if (!fs.existsSync(database.file)) throw new Refusal(`There is no database at ${database.file} to back up.`);
    if (fs.existsSync(target))
      throw new Refusal(`${target} already exists; choose a new file name (nothing was written).`);
    if (!fs.existsSync(path.dirname(target)))
      throw new Refusal(`The directory ${path.dirname(target)} does not exist.`);

    const source = new SQLite(database.file, { fileMustExist: true });
    source.pragma('busy_timeout = 5000');
    const partial = `${target}.partial`;
    try {
      await describeClicktrailDatabase(source, database.file);
      fs.rmSync(partial, { force: true });
      source.prepare('VACUUM INTO ?').run(partial);
    } finally {
      source.close();
    }
    // Check the copy before it takes the final name, so a file with that name is always whole.
    const summary = await verifyBackup(partial).catch((error: unknown) => {
      fs.rmSync(partial, { force: true });
      throw error;
    });
    fs.renameSync(partial, target);
    const size = fs.statSync(target).size;
    console.log(`Backed up ${database.file} to ${target} (${formatSize(size)}): ${summary}.`);
    return 0;
  });
}

/**
 * `npm run server -- restore <file>`: puts a backup back in place of the SQLite database, with the
 * server stopped. The database it replaces is kept beside it (`.before-restore-<time>`).
 */
export async function runRestoreCommand(database: DatabaseConfig, args: string[]): Promise<number> {
  return refusalsToExitCode(async () => {
    if (database.kind === 'postgres') return postgresAdvice('restore');
    const backup = oneFileArgument('restore', args);
    if (!backup) return 2;
    if (!fs.existsSync(backup)) throw new Refusal(`There is no file ${backup} to restore.`);
    const running = findRunningServer(database.file);
    if (running) {
      throw new Refusal(
        `A Clicktrail server (process ${running.pid}, ${running.url}, started ${running.startedAt}) is using ` +
          `${database.file}. Stop it first (e.g. systemctl stop clicktrail), then restore; nothing was changed. ` +
          `(If no such server runs, delete ${database.file}.server.json.)`,
      );
    }
    const summary = await verifyBackup(backup);

    fs.mkdirSync(path.dirname(database.file), { recursive: true });
    const staged = `${database.file}.restoring`;
    fs.copyFileSync(backup, staged);
    let keptAs: string | undefined;
    if (fs.existsSync(database.file)) {
      keptAs = `${database.file}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      // The WAL and its index belong to the database file: they move with it, under matching names.
      for (const suffix of ['', '-wal', '-shm']) {
        if (fs.existsSync(database.file + suffix)) fs.renameSync(database.file + suffix, keptAs + suffix);
      }
    }
    fs.renameSync(staged, database.file);
    console.log(
      `Restored ${backup} into ${database.file}: ${summary}.` +
        (keptAs ? `\nThe database it replaced is kept as ${keptAs}.` : '') +
        '\nStart the server; it applies any migrations this release adds.',
    );
    return 0;
  });
}

async function refusalsToExitCode(command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    console.error(error.message);
    return 1;
  }
}

function postgresAdvice(command: 'backup' | 'restore'): number {
  console.error(`\`${command}\` works on the SQLite database; DATABASE_URL points at PostgreSQL.\n${POSTGRES_ADVICE}`);
  return 2;
}

function oneFileArgument(command: 'backup' | 'restore', args: string[]): string | undefined {
  if (args.length !== 1 || !args[0]) {
    console.error(`Usage: npm run server -- ${command} <file>`);
    return undefined;
  }
  return path.resolve(args[0]);
}

/** Opens a file meant to be a Clicktrail backup and checks it all, read-only. */
async function verifyBackup(file: string): Promise<string> {
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('schema_version'); // reads the header: fails at once on a file that is not SQLite
  } catch {
    throw new Refusal(`${file} is not a Clicktrail database (not an SQLite file); nothing was changed.`);
  }
  try {
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Refusal(`${file} is damaged (SQLite's quick_check: ${String(check)}).`);
    return await describeClicktrailDatabase(sqlite, file);
  } finally {
    sqlite.close();
  }
}

/** "N event definitions, M completions, schema 003-…"; refuses a file that is not Clicktrail's or is newer. */
async function describeClicktrailDatabase(sqlite: SQLite.Database, file: string): Promise<string> {
  // Kysely over the caller's connection (which the caller closes), for the shared migration check.
  const db = new Kysely<unknown>({
    dialect: new SqliteDialect({ database: { prepare: (query) => sqlite.prepare(query), close: () => {} } }),
  });
  const applied = await appliedMigrations(db);
  if (!applied?.includes('001-initial')) {
    throw new Refusal(`${file} is not a Clicktrail database (it has no Clicktrail schema); nothing was changed.`);
  }
  const known = new Set(await knownMigrations());
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Refusal(`${file} was made by a newer Clicktrail (migrations ${unknown.join(', ')}); use that release.`);
  }
  const count = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const counted = (table: string, noun: string) => `${count(table)} ${noun}${count(table) === 1 ? '' : 's'}`;
  return `${counted('event_definitions', 'event definition')}, ${counted('completions', 'completion')}, schema ${applied.at(-1)}`;
}

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
