/** Custom code of CUSTOM_SCRIPT events: what the site runs, who changed it, and what it threw. */
import { sql, type Kysely } from 'kysely';
import { fullyQualifiedName } from '../../lib/shared';
import type { Database } from './schema';
import type { Snippet } from '../custom-code/script';

/** The code the portal's site runs: active (not paused, not archived) events, oldest first. */
export async function activeCustomCode(db: Kysely<Database>, portalId: number): Promise<Snippet[]> {
  const rows = await db
    .selectFrom('event_definitions')
    .select(['name', 'custom_code'])
    .where('portal_id', '=', portalId)
    .where('archived', '=', 0)
    .where('paused', '=', 0)
    .where('custom_code', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ fullyQualifiedName: fullyQualifiedName(portalId, row.name), code: row.custom_code! }));
}

export interface CodeChange {
  version: number;
  code: string | null;
  changedAt: string;
  /** The API key that made the change (its prefix and name), or null when the key was deleted. */
  apiKey: { id: number; prefix: string; name: string } | null;
}

/** Every change of one event's code, newest first. */
export async function customCodeHistory(db: Kysely<Database>, definitionId: number): Promise<CodeChange[]> {
  const rows = await db
    .selectFrom('custom_code_changes as change')
    .leftJoin('api_keys as key', 'key.id', 'change.api_key_id')
    .select(['change.version', 'change.code', 'change.changed_at', 'key.id as key_id', 'key.prefix', 'key.name'])
    .where('change.definition_id', '=', definitionId)
    .orderBy('change.version', 'desc')
    .orderBy('change.id', 'desc')
    .execute();
  return rows.map((row) => ({
    version: row.version,
    code: row.code,
    changedAt: row.changed_at,
    apiKey: row.key_id !== null ? { id: row.key_id, prefix: row.prefix!, name: row.name! } : null,
  }));
}

export interface ErrorReport {
  definitionId: number;
  path: string;
  errorName: string;
  message: string;
}

/** Counts reported errors per event, UTC day, path and error name (one upsert each). */
export async function recordCustomCodeErrors(db: Kysely<Database>, reports: ErrorReport[], at: number): Promise<void> {
  const day = new Date(at).toISOString().slice(0, 10);
  await db.transaction().execute(async (trx) => {
    for (const report of reports) {
      await trx
        .insertInto('custom_code_errors')
        .values({
          definition_id: report.definitionId,
          day,
          path: report.path,
          error_name: report.errorName,
          count: 1,
          last_message: report.message,
          last_at: at,
        })
        .onConflict((conflict) =>
          conflict.columns(['definition_id', 'day', 'path', 'error_name']).doUpdateSet({
            count: sql`custom_code_errors.count + 1`,
            last_message: report.message,
            last_at: at,
          }),
        )
        .execute();
    }
  });
}

export interface ErrorSummary {
  day: string;
  path: string;
  errorName: string;
  count: number;
  lastMessage: string;
  lastAt: string;
}

/** Errors of one event on the last `days` UTC days (today included), newest day and most frequent first. */
export async function customCodeErrors(
  db: Kysely<Database>,
  definitionId: number,
  days: number,
  now: number,
): Promise<ErrorSummary[]> {
  const since = new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('custom_code_errors')
    .selectAll()
    .where('definition_id', '=', definitionId)
    .where('day', '>=', since)
    .orderBy('day', 'desc')
    .orderBy('count', 'desc')
    .orderBy('path')
    .execute();
  return rows.map((row) => ({
    day: row.day,
    path: row.path,
    errorName: row.error_name,
    count: Number(row.count),
    lastMessage: row.last_message,
    lastAt: new Date(Number(row.last_at)).toISOString(),
  }));
}

/** Ids of the portal's events by fully qualified name, for events that have custom code. */
export async function customCodeDefinitionIds(db: Kysely<Database>, portalId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('event_definitions')
    .select(['id', 'name'])
    .where('portal_id', '=', portalId)
    .where('custom_code', 'is not', null)
    .execute();
  return new Map(rows.map((row) => [fullyQualifiedName(portalId, row.name), row.id]));
}
