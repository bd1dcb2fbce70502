/**
 * Load generator of the ingest benchmark, run as its own process so it does not share the
 * server's event loop: a few keep-alive connections over loopback, each sending its next request
 * as soon as the previous one is answered, for a fixed time.
 */
import http from 'node:http';
import { randomId } from '../../lib/tracker/visitor';

export type BodyKind = 'single' | 'batch';

export interface LoadJob {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: BodyKind;
  /** Inputs per batch body. */
  batchSize: number;
  eventName: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  latenciesMs: { p50: number; p99: number };
  /** Responses other than 204, by status. */
  failures: Record<string, number>;
  /** CPU time (user + system) the server's process spent per request over the measured window. */
  serverCpuMsPerRequest?: number;
}

const CONTACTS = 1000;
let sequence = 0;

/** One completion as an integration would send it: a known contact, a time-ordered uuid (v7, as the tracker makes them), three properties. */
function completion(eventName: string): string {
  const n = sequence++;
  return (
    `{"eventName":"${eventName}","email":"visitor-${n % CONTACTS}@example.com","uuid":"${randomId()}",` +
    `"properties":{"hs_url":"https://shop.example.com/products/${n % 97}","plan":"${n % 2 ? 'pro' : 'free'}","amount":"${n % 500}"}}`
  );
}

function bodyOf(job: LoadJob): string {
  if (job.body === 'single') return completion(job.eventName);
  const inputs: string[] = [];
  for (let i = 0; i < job.batchSize; i++) inputs.push(completion(job.eventName));
  return `{"inputs":[${inputs.join(',')}]}`;
}

function post(agent: http.Agent, job: LoadJob, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      job.url + job.path,
      {
        method: 'POST',
        agent,
        headers: { ...job.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** Runs one job: warm-up first (not measured), then the measured window. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const end = measureFrom + job.durationMs;
  const connection = async () => {
    for (;;) {
      const body = bodyOf(job);
      const sent = performance.now();
      if (sent >= end) return;
      const status = await post(agent, job, body).catch(() => -1);
      const answered = performance.now();
      if (sent < measureFrom) continue;
      latencies.push(answered - sent);
      if (status !== 204) failures[status] = (failures[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: job.connections }, connection));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds: job.durationMs / 1000,
    latenciesMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    failures,
  };
}

// As a forked child: run each job the parent sends and answer with its result.
if (process.send) {
  process.on('message', (job: LoadJob) => {
    // Tells the parent when the measured window opens, so it can read the server's CPU time over it.
    setTimeout(() => process.send!({ measuring: true }), job.warmupMs);
    void runLoad(job).then((result) => process.send!(result));
  });
}
