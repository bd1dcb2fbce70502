import { startServer, type RunningServer } from '../../server/server';
import { scratchDatabase, type DatabaseKind } from './scratch-database';

export type { DatabaseKind };

/** The databases the server suites run against; PostgreSQL can be skipped only explicitly. */
export const DATABASE_KINDS: DatabaseKind[] =
  process.env.CLICKTRAIL_SKIP_POSTGRES === '1' ? ['sqlite'] : ['sqlite', 'postgres'];

export interface TestServer extends RunningServer {
  apiKey: string;
  /** `fetch` against the server with the API key set. */
  api(pathname: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/**
 * Starts the real server on a free port over a fresh database. Like `npm start` it serves the demo
 * site (whose pages may send events) unless `demo: false` is passed.
 */
export async function startTestServer(
  kind: DatabaseKind,
  options: Parameters<typeof startServer>[1] = {},
): Promise<TestServer> {
  const database = await scratchDatabase(kind);
  const server = await startServer(
    { port: 0, host: '127.0.0.1', database: database.config },
    { demo: true, ...options },
  );
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
