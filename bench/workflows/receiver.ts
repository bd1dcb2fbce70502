/**
 * Webhook receiver of bench:workflows, run as its own process (as a team's own service would be):
 * it listens on 127.0.0.1, answers every POST 200 and records when each webhook arrived. Its CPU is
 * not the server's, so the ingest ratio weighs what Clicktrail does, not what the receiver does.
 *
 * Protocol (IPC): it sends `{ port }` once listening; `'count'` is answered with the number of
 * distinct idempotency keys received; `'arrivals'` with every arrival.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Arrival {
  at: number;
  key: string;
  path: string;
  enrolmentId: string;
  occurredAt: string;
}

export type ReceiverMessage = { port: number } | { count: number } | { arrivals: Arrival[] };

if (process.send) {
  const arrivals: Arrival[] = [];
  const keys = new Set<string>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        enrolment: { id: string };
        completion: { occurredAt: string };
      };
      const key = String(request.headers['idempotency-key']);
      keys.add(key);
      arrivals.push({
        at,
        key,
        path: request.url ?? '',
        enrolmentId: body.enrolment.id,
        occurredAt: body.completion.occurredAt,
      });
      response.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.send!({ port: (server.address() as AddressInfo).port } satisfies ReceiverMessage);
  });
  process.on('message', (message: 'count' | 'arrivals') => {
    process.send!((message === 'count' ? { count: keys.size } : { arrivals }) satisfies ReceiverMessage);
  });
}
