import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startServer, type RunningServer } from '../../server/server';
import type { DatabaseConfig } from '../../server/storage/database';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The databases the server suites run against; PostgreSQL can be skipped only explicitly. */
export const DATABASE_KINDS: DatabaseKind[] =
  process.env.CLICKTRAIL_SKIP_POSTGRES === '1' ? ['sqlite'] : ['sqlite', 'postgres'];

/** Where the test PostgreSQL lives; `npm test` starts it when it is installed but stopped. */
const PG_ADMIN_URL = process.env.CLICKTRAIL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestServer extends RunningServer {
  apiKey: string;
  /** `fetch` against the server with the API key set. */
  api(pathname: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** A fresh, empty database of the given kind, dropped again by `dispose`. */
async function freshDatabase(kind: DatabaseKind): Promise<{ config: DatabaseConfig; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-test-'));
    return {
      config: { kind: 'sqlite', file: path.join(dir, 'test.sqlite') },
      dispose: () => Promise.resolve(fs.rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `clicktrail_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    dispose: async () => {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Starts the real server on a free port over a fresh database. */
export async function startTestServer(
  kind: DatabaseKind,
  options: Parameters<typeof startServer>[1] = {},
): Promise<TestServer> {
  const database = await freshDatabase(kind);
  const server = await startServer({ port: 0, host: '127.0.0.1', database: database.config }, options);
  const apiKey = server.bootstrap.newKey;
  if (!apiKey) throw new Error('A fresh database must print a first API key.');
  return {
    ...server,
    apiKey,
    api: (pathname, init = {}) => {
      const { json, headers, ...rest } = init;
      return fetch(server.url + pathname, {
        ...rest,
        headers: {
          Authorization: `Bearer ${apiKey}`,
          ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: json === undefined ? rest.body : JSON.stringify(json),
      });
    },
    close: async () => {
      await server.close();
      await database.dispose();
    },
  };
}
