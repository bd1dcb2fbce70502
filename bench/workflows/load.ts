/**
 * Load generator of bench:workflows, run as its own process (like bench:ingest's) so it does not
 * share the server's event loop: sends a fixed number of completions in batches of 500 over a few
 * keep-alive connections, as fast as they are answered. Each completion carries `amount` (0..9999,
 * which the benchmark's workflows filter on) and `occurredAt` = the time its batch was sent, from
 * which the webhook latency is measured.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';

export interface IngestJob {
  url: string;
  apiKey: string;
  eventName: string;
  completions: number;
  batchSize: number;
  connections: number;
}

export interface IngestResult {
  completions: number;
  seconds: number;
  failures: Record<string, number>;
}

function post(agent: http.Agent, job: IngestJob, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${job.url}/events/v3/send/batch`,
      {
        method: 'POST',
        agent,
        headers: {
          Authorization: `Bearer ${job.apiKey}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
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

export async function runIngest(job: IngestJob): Promise<IngestResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const failures: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const connection = async () => {
    while (next < job.completions) {
      const first = next;
      next = Math.min(job.completions, next + job.batchSize);
      const occurredAt = Date.now();
      const inputs: string[] = [];
      for (let n = first; n < next; n++) {
        inputs.push(
          `{"eventName":"${job.eventName}","email":"visitor-${n % 1000}@example.com","uuid":"${randomUUID()}",` +
            `"occurredAt":${occurredAt},"properties":{"plan":"${n % 2 ? 'pro' : 'free'}","amount":${(n * 7919) % 10_000}}}`,
        );
      }
      const status = await post(agent, job, `{"inputs":[${inputs.join(',')}]}`).catch(() => -1);
      if (status !== 204) failures[status] = (failures[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: job.connections }, connection));
  agent.destroy();
  return { completions: job.completions, seconds: (performance.now() - started) / 1000, failures };
}

if (process.send) {
  process.on('message', (job: IngestJob) => {
    void runIngest(job).then((result) => process.send!(result));
  });
}
