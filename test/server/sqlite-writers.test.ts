import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Another process writing to the same SQLite file, as the CLI does (`keys create`, `origins add`):
 * it takes the write lock, holds it for `holdMs`, then commits. Resolves once the lock is taken,
 * with a promise of the process's end.
 */
function holdWriteLock(file: string, holdMs: number): Promise<{ done: Promise<number | null> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO portal_origins (portal_id, origin, created_at) VALUES (1, 'https://other-process.example', ?)").run(new Date().toISOString());
    console.log('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('COMMIT');
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], { cwd: ROOT });
  const done = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve({ done });
    });
    void done.then((code) => reject(new Error(`lock holder exited with ${code} before locking: ${errors}`)));
  });
}

describe('SQLite written by the server and another process at once', () => {
  let server: TestServer;
  let file: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    if (server.database.kind !== 'sqlite') throw new Error('expected SQLite');
    file = server.database.describe;
    const created = await server.api('/events/v3/event-definitions', {
      method: 'POST',
      json: { label: 'Signup', primaryObject: 'CONTACT' },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => server?.close());

  it('stores a completion sent while the other process holds the write lock, once it commits', async () => {
    // The completion's transaction reads (definitions, contacts) before it writes. Begun deferred,
    // it would read, then wait for the lock, then fail with SQLITE_BUSY because the other process
    // committed after its read; begun immediate, it waits for the lock first.
    const holder = await holdWriteLock(file, 400);
    const portalId = server.bootstrap.portal.id;
    const response = await server.api('/events/v3/send', {
      method: 'POST',
      json: { eventName: `pe${portalId}_signup`, email: 'during-lock@example.com', uuid: 'lock-1' },
    });
    expect(await holder.done).toBe(0);
    expect(response.status).toBe(204);
    const read = await server.api(`/events/v3/events?eventType=pe${portalId}_signup`);
    const { results } = (await read.json()) as { results: unknown[] };
    expect(results).toHaveLength(1);
  });
});
