/**
 * Synthetic analytics data, loaded with bulk SQL (not the HTTP API): contacts, 50 event
 * definitions and N completions spread over the year before `end`. A seeded generator, so SQLite
 * and PostgreSQL get the same rows. Events are skewed like real sites (weight 1/√rank: the top
 * event has ~8% of all completions), contacts uniform.
 */
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../../server/storage/database';
import { createDefinition } from '../../server/storage/event-definitions';
import type { Database } from '../../server/storage/schema';

export const EVENTS = 50;
export const PLAN_OPTIONS = ['free', 'starter', 'pro', 'team', 'enterprise'] as const;
const YEAR_MS = 365 * 86_400_000;

/** mulberry32: small, fast, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Creates the 50 definitions (each with an enumeration and a number property); returns their ids by rank. */
export async function defineEvents(db: Kysely<Database>, portalId: number): Promise<number[]> {
  const ids: number[] = [];
  for (let rank = 0; rank < EVENTS; rank++) {
    const definition = await createDefinition(db, portalId, {
      name: `event_${String(rank).padStart(2, '0')}`,
      label: `Event ${rank}`,
      primaryObject: 'CONTACT',
      trackingType: 'MANUAL',
      properties: [
        {
          name: 'plan',
          label: 'Plan',
          type: 'enumeration',
          options: PLAN_OPTIONS.map((value) => ({
            label: value[0]!.toUpperCase() + value.slice(1),
            value,
            hidden: false,
          })),
        },
        { name: 'amount', label: 'Amount', type: 'number', options: [] },
      ],
    });
    ids.push(Number(definition.id));
  }
  return ids;
}

export interface GeneratedRow {
  definitionId: number;
  contactId: number;
  occurredAt: number;
  properties: string;
}

/**
 * The completions, in time order (as ingest appends them), `chunk` at a time. Each has a plan
 * (5% two plans, `a;b`; 10% none) and an amount.
 */
export function* completionRows(options: {
  rows: number;
  contactIds: readonly number[];
  definitionIds: readonly number[];
  end: number;
  chunk: number;
}): Generator<GeneratedRow[]> {
  const next = random(42);
  const weights = options.definitionIds.map((_, rank) => 1 / Math.sqrt(rank + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, weight, index) => (cumulative[index] = sum + weight / total), 0);
  const pick = () => {
    const value = next();
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return options.definitionIds[low]!;
  };
  const start = options.end - YEAR_MS;
  const step = YEAR_MS / options.rows;
  for (let from = 0; from < options.rows; from += options.chunk) {
    const rows: GeneratedRow[] = [];
    for (let index = from; index < Math.min(options.rows, from + options.chunk); index++) {
      const roll = next();
      const plan =
        roll < 0.1
          ? undefined
          : roll < 0.15
            ? `${PLAN_OPTIONS[Math.floor(next() * 5)]};${PLAN_OPTIONS[Math.floor(next() * 5)]}`
            : PLAN_OPTIONS[Math.floor(next() * 5)];
      rows.push({
        definitionId: pick(),
        contactId: options.contactIds[Math.floor(next() * options.contactIds.length)]!,
        occurredAt: Math.floor(start + index * step + next() * step),
        properties: JSON.stringify(
          plan === undefined ? { amount: Math.floor(next() * 500) } : { plan, amount: Math.floor(next() * 500) },
        ),
      });
    }
    yield rows;
  }
}

const COLUMNS = 'portal_id, definition_id, object_type, object_id, occurred_at, uuid, properties_json, received_at';

/** Bulk-loads contacts and completions; returns the contact ids. */
export async function load(
  config: DatabaseConfig,
  options: { portalId: number; contacts: number; rows: number; definitionIds: readonly number[]; end: number },
): Promise<void> {
  const now = new Date().toISOString();
  if (config.kind === 'sqlite') {
    const sqlite = new SQLite(config.file);
    // A bulk load, not the server's durable ingest: no fsync per transaction.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -262144');
    const contactIds: number[] = [];
    const insertContact = sqlite.prepare('INSERT INTO contacts (portal_id, email, created_at) VALUES (?, ?, ?)');
    sqlite.transaction(() => {
      for (let n = 0; n < options.contacts; n++) {
        contactIds.push(Number(insertContact.run(options.portalId, `contact-${n}@example.com`, now).lastInsertRowid));
      }
    })();
    const perStatement = 100;
    const statement = sqlite.prepare(
      `INSERT INTO completions (${COLUMNS}) VALUES ${Array.from({ length: perStatement }, () => "(?, ?, 'CONTACT', ?, ?, NULL, ?, ?)").join(', ')}`,
    );
    const single = sqlite.prepare(`INSERT INTO completions (${COLUMNS}) VALUES (?, ?, 'CONTACT', ?, ?, NULL, ?, ?)`);
    const write = sqlite.transaction((rows: GeneratedRow[]) => {
      let index = 0;
      const values = (row: GeneratedRow) => [
        options.portalId,
        row.definitionId,
        String(row.contactId),
        row.occurredAt,
        row.properties,
        row.occurredAt,
      ];
      for (; index + perStatement <= rows.length; index += perStatement) {
        statement.run(rows.slice(index, index + perStatement).flatMap(values));
      }
      for (; index < rows.length; index++) single.run(values(rows[index]!));
    });
    for (const rows of completionRows({ ...options, contactIds, chunk: 50_000 })) write(rows);
    sqlite.exec('ANALYZE');
    sqlite.close();
    return;
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    const { rows: contactRows } = await client.query<{ id: number }>(
      `INSERT INTO contacts (portal_id, email, created_at)
       SELECT $1, 'contact-' || n || '@example.com', $2 FROM generate_series(0, $3 - 1) AS n RETURNING id`,
      [options.portalId, now, options.contacts],
    );
    const contactIds = contactRows.map((row) => Number(row.id));
    for (const rows of completionRows({ ...options, contactIds, chunk: 20_000 })) {
      await client.query(
        `INSERT INTO completions (${COLUMNS})
         SELECT $1, d, 'CONTACT', o, t, NULL, p, t
         FROM unnest($2::int[], $3::text[], $4::bigint[], $5::text[]) AS u(d, o, t, p)`,
        [
          options.portalId,
          rows.map((row) => row.definitionId),
          rows.map((row) => String(row.contactId)),
          rows.map((row) => row.occurredAt),
          rows.map((row) => row.properties),
        ],
      );
    }
    await client.query('VACUUM ANALYZE completions');
  } finally {
    await client.end();
  }
}
