import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApiKeyRow, Database } from './schema';

const KEY_PREFIX = 'ct_';

/** Keys are 256 random bits, so a plain SHA-256 (no salt, no slow hash) cannot be brute-forced. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface CreatedApiKey {
  row: ApiKeyRow;
  /** The key itself: shown once, never stored. */
  key: string;
}

export async function createApiKey(db: Kysely<Database>, portalId: number, name: string): Promise<CreatedApiKey> {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('api_keys')
    .values({
      portal_id: portalId,
      name,
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      key_hash: hashApiKey(key),
      created_at: new Date().toISOString(),
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, key };
}

/** The active key with this value, or undefined for an unknown or revoked key. */
export async function findActiveKey(db: Kysely<Database>, key: string): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listApiKeys(db: Kysely<Database>): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('id').execute();
}

/** Revokes by id or by prefix; returns how many keys were revoked. */
export async function revokeApiKey(db: Kysely<Database>, idOrPrefix: string): Promise<number> {
  const id = /^\d+$/.test(idOrPrefix) ? Number(idOrPrefix) : -1;
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where((eb) => eb.or([eb('id', '=', id), eb('prefix', '=', idOrPrefix)]))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
