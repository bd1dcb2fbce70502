import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiErrorSchema } from '../../lib/shared';
import { startServer, type RunningServer } from '../../server/server';
import { scratchDatabase } from '../support/scratch-database';
import { DATABASE_KINDS } from '../support/test-server';

describe.each(DATABASE_KINDS)('the server log on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('writes a failed request as one JSON line with the correlation id the client got', async () => {
    const database = await scratchDatabase(kind);
    cleanup.push(() => database.dispose());
    // No background jobs: they would only log that the database is gone, and this test reads the log.
    const server: RunningServer = await startServer(
      { port: 0, host: '127.0.0.1', database: database.config },
      { retention: false, workflows: { pollIntervalMs: 0 } },
    );
    // Bounded: on PostgreSQL a query on a destroyed pool never settles, so the import queue's next
    // poll (it cannot be turned off) would keep close() waiting for good.
    cleanup.push(() =>
      Promise.race([server.close().catch(() => {}), new Promise<void>((resolve) => setTimeout(resolve, 3_000))]),
    );
    const key = server.bootstrap.newKey!;
    // The database goes away under the running server: every query fails from here on.
    await server.database.db.destroy();

    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const response = await fetch(`${server.url}/events/v3/event-definitions`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    vi.restoreAllMocks();

    expect(response.status).toBe(500);
    const body = apiErrorSchema.parse(await response.json());
    expect(response.headers.get('x-correlation-id')).toBe(body.correlationId);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const entry = logged.find((line) => line.correlationId === body.correlationId);
    expect(entry).toMatchObject({
      level: 'error',
      msg: 'request failed',
      method: 'GET',
      path: '/events/v3/event-definitions',
      error: { message: expect.any(String) as string, stack: expect.any(String) as string },
    });
    expect(new Date(entry!.time as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
