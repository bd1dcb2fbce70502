import type { Kysely } from 'kysely';
import { createApiKey, listApiKeys, revokeApiKey } from '../storage/api-keys';
import { createPortal, firstPortal } from '../storage/portals';
import type { Database } from '../storage/schema';

const USAGE = `Usage: npm run server -- keys <command>
  keys create [name]      create an API key (and the default portal if there is none); prints only the key
  keys list               list keys: id, prefix, name, portal, created, revoked
  keys revoke <id|prefix> revoke a key; requests with it get 401 from then on`;

/** `npm run server -- keys create|list|revoke`; returns the process exit code. */
export async function runKeysCommand(db: Kysely<Database>, args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'create': {
      const portal = (await firstPortal(db)) ?? (await createPortal(db, 'Default portal'));
      const { key } = await createApiKey(db, portal.id, rest[0] ?? 'cli');
      // stdout carries only the key so scripts can capture it.
      process.stdout.write(`${key}\n`);
      return 0;
    }
    case 'list': {
      const keys = await listApiKeys(db);
      if (keys.length === 0) {
        console.log('No API keys yet. Create one with: npm run server -- keys create');
        return 0;
      }
      console.log(['id', 'prefix', 'name', 'portal', 'created', 'revoked'].join('\t'));
      for (const key of keys) {
        console.log(
          [key.id, `${key.prefix}…`, key.name, key.portal_id, key.created_at, key.revoked_at ?? '-'].join('\t'),
        );
      }
      return 0;
    }
    case 'revoke': {
      const target = rest[0];
      if (!target) {
        console.error('keys revoke needs the id or prefix of a key (see: npm run server -- keys list).');
        return 2;
      }
      const count = await revokeApiKey(db, target);
      if (count === 0) {
        console.error(`No active key with id or prefix "${target}".`);
        return 1;
      }
      console.error(`Revoked ${count} key${count === 1 ? '' : 's'}.`);
      return 0;
    }
    default:
      console.error(command ? `Unknown keys command "${command}".\n${USAGE}` : USAGE);
      return 2;
  }
}
