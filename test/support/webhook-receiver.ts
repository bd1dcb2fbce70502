import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  at: number;
}

/** How the receiver answers one request: a status and body, or never (the sender times out). */
export type ReceiverAnswer = { status: number; body?: string } | 'hang';

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` + path. */
  url(path?: string): string;
  received: ReceivedWebhook[];
  /** The webhooks that arrived at one path. */
  at(path: string): ReceivedWebhook[];
  /** Queues answers for requests to a path, in order; otherwise 200 `{"ok":true}`. */
  answer(path: string, ...answers: ReceiverAnswer[]): void;
  /** Forgets what arrived and the queued answers. */
  reset(): void;
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records webhooks; tests never send traffic anywhere else. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const answers = new Map<string, ReceiverAnswer[]>();
  const waiters: (() => void)[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // recorded as is; the test decides whether that matters
      }
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body, json, at: Date.now() });
      for (const wake of waiters.splice(0)) wake();
      const answer = answers.get(path)?.shift() ?? { status: 200, body: '{"ok":true}' };
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(answer.status, { 'Content-Type': 'application/json' });
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    at: (path) => received.filter((hook) => hook.path === path),
    answer: (path, ...queued) => answers.set(path, [...(answers.get(path) ?? []), ...queued]),
    reset: () => {
      received.length = 0;
      answers.clear();
    },
    waitFor: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhooks, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
