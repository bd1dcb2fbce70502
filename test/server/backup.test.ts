import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { completionListSchema } from '../../lib/shared';
import { startServer, type RunningServer } from '../../server/server';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm run server -- <args>` as its own process, as an operator runs it; never throws. */
async function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  return promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

async function storedRefs(server: RunningServer, key: string): Promise<Set<string>> {
  const refs = new Set<string>();
  let after: string | undefined;
  do {
    const response = await fetch(`${server.url}/events/v3/events?limit=500${after ? `&after=${after}` : ''}`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    const page = completionListSchema.parse(await response.json());
    for (const result of page.results) refs.add(result.properties.ref!);
    after = page.paging?.next?.after;
  } while (after);
  return refs;
}

describe('backup and restore of the SQLite database', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function serverOn(database: ScratchDatabase): Promise<RunningServer> {
    const server = await startServer({ port: 0, host: '127.0.0.1', database: database.config });
    cleanup.push(() => server.close());
    return server;
  }

  it(
    'backs up while the server ingests; the restore holds every completion acknowledged before the backup began',
    { timeout: 240_000 },
    async () => {
      const database = await scratchDatabase('sqlite');
      cleanup.push(() => database.dispose());
      const dataDir = path.dirname((database.config as { file: string }).file);
      const backupFile = path.join(dataDir, 'backup.sqlite');
      let server = await serverOn(database);
      const key = server.bootstrap.newKey!;
      const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
      const created = await fetch(`${server.url}/events/v3/event-definitions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          label: 'Backup probe',
          propertyDefinitions: [{ name: 'ref', label: 'Ref', type: 'string' }],
        }),
      });
      expect(created.status).toBe(201);
      const eventName = `pe${server.bootstrap.portal.id}_backup_probe`;
      const input = (ref: string) => ({
        eventName,
        email: `v-${ref.slice(0, 2)}@example.com`,
        uuid: ref,
        properties: { ref },
      });

      // Enough data that the copy takes a moment, then clients that never stop during the backup.
      for (let batch = 0; batch < 40; batch++) {
        const inputs = Array.from({ length: 100 }, () => input(randomUUID()));
        const response = await fetch(`${server.url}/events/v3/send/batch`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ inputs }),
        });
        expect(response.status).toBe(204);
      }
      const acknowledged: { ref: string; at: number }[] = [];
      let stop = false;
      const client = async (batchSize: number) => {
        while (!stop) {
          const refs = Array.from({ length: batchSize }, () => randomUUID());
          const [pathname, body] =
            batchSize > 1
              ? ['/events/v3/send/batch', { inputs: refs.map(input) }]
              : ['/events/v3/send', input(refs[0]!)];
          const response = await fetch(server.url + pathname, { method: 'POST', headers, body: JSON.stringify(body) });
          if (response.status !== 204) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
          const at = Date.now();
          for (const ref of refs) acknowledged.push({ ref, at });
          await new Promise((resolve) => setTimeout(resolve, 5)); // steady traffic, not a flood to read back
        }
      };
      const clients = Promise.all([1, 1, 1, 10].map(client));
      cleanup.push(async () => {
        stop = true;
        await clients.catch(() => {});
      });
      while (acknowledged.length < 200)
        await Promise.race([clients, new Promise((resolve) => setTimeout(resolve, 10))]);

      const begun = Date.now();
      const backup = await cli(database.env, 'backup', backupFile);
      const ended = Date.now();
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(
        /^Backed up .* to .*backup\.sqlite \([\d.]+ (KB|MB)\): 1 event definition, \d+ completions, schema \d{3}-/,
      );
      while (acknowledged.filter((ack) => ack.at > ended).length < 50) {
        await Promise.race([clients, new Promise((resolve) => setTimeout(resolve, 10))]);
      }
      // The server kept taking completions while the backup ran.
      expect(acknowledged.filter((ack) => ack.at > begun && ack.at < ended).length).toBeGreaterThan(0);

      // A restore under the running server is refused and changes nothing.
      const refused = await cli(database.env, 'restore', backupFile);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`A Clicktrail server (process ${process.pid}`);
      expect(refused.stderr).toContain('Stop it first');

      stop = true;
      await clients;
      const before = acknowledged.filter((ack) => ack.at < begun).map((ack) => ack.ref);
      const after = acknowledged.filter((ack) => ack.at > ended).map((ack) => ack.ref);
      expect((await storedRefs(server, key)).size).toBe(4000 + acknowledged.length);
      await server.close();

      const restored = await cli(database.env, 'restore', backupFile);
      expect(restored.code).toBe(0);
      expect(restored.stdout).toContain('The database it replaced is kept as');
      expect(fs.readdirSync(dataDir).some((name) => name.startsWith('clicktrail.sqlite.before-restore-'))).toBe(true);

      server = await serverOn(database);
      const stored = await storedRefs(server, key);
      expect(before.filter((ref) => !stored.has(ref))).toEqual([]);
      // And it really is the backup: what was acknowledged after it finished is not in it.
      expect(after.filter((ref) => stored.has(ref))).toEqual([]);
    },
  );

  it(
    'refuses to overwrite a file, and to restore a file that is not a Clicktrail database',
    { timeout: 60_000 },
    async () => {
      const database = await scratchDatabase('sqlite');
      cleanup.push(() => database.dispose());
      const dataDir = path.dirname((database.config as { file: string }).file);
      const server = await serverOn(database);
      await server.close();
      const original = fs.readFileSync((database.config as { file: string }).file);

      const existing = path.join(dataDir, 'existing.sqlite');
      fs.writeFileSync(existing, 'keep me');
      const text = path.join(dataDir, 'notes.txt');
      fs.writeFileSync(text, 'not a database at all, but long enough to look like a header.'.repeat(20));
      const other = path.join(dataDir, 'other.sqlite');
      const SQLite = (await import('better-sqlite3')).default;
      const foreign = new SQLite(other);
      foreign.exec('create table notes (body text)');
      foreign.close();

      const [overwrite, notSqlite, notOurs] = await Promise.all([
        cli(database.env, 'backup', existing),
        cli(database.env, 'restore', text),
        cli(database.env, 'restore', other),
      ]);
      expect(overwrite.code).toBe(1);
      expect(overwrite.stderr).toContain('already exists');
      expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
      expect(notSqlite.code).toBe(1);
      expect(notSqlite.stderr).toContain('is not a Clicktrail database (not an SQLite file)');
      expect(notOurs.code).toBe(1);
      expect(notOurs.stderr).toContain('is not a Clicktrail database (it has no Clicktrail schema)');

      expect(fs.readFileSync((database.config as { file: string }).file).equals(original)).toBe(true);
      expect(fs.readdirSync(dataDir).filter((name) => name.includes('before-restore'))).toEqual([]);
    },
  );

  it('on PostgreSQL points to pg_dump and pg_restore', async () => {
    const result = await cli({ DATABASE_URL: 'postgres://clicktrail@127.0.0.1:5432/clicktrail' }, 'backup', 'x.dump');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pg_dump --format=custom');
    expect(result.stderr).toContain('pg_restore');
  });
});
