/**
 * `npm run bench:workflows`: what workflows cost and how fast they act, on SQLite and PostgreSQL.
 *
 * Per database, two fresh servers in this process ingest the same completions (batches of 500 over
 * 10 connections from a separate load process, as bench:ingest's batch scenario) and the same
 * probe event every 50 ms: one without workflows, one with 100 workflows on (each enrols the ~1% of
 * completions whose `amount` equals its number, re-enrolment on, and posts a webhook to a local
 * receiver running as its own process) and one timer workflow (delay 2 s, then a webhook) fed by
 * the probes. A first, unreported run warms the process up. Reported: the ingest rate with
 * workflows as a share of the rate without (target ≥ 90%), the server's CPU per 1,000 completions,
 * the delay from a completion's send to its webhook's arrival (p50 / p99), and the lateness of
 * timers (arrival − due time, p99 ≤ 2 s). Writes bench/results/workflows.md.
 *
 * Environment: BENCH_COMPLETIONS (default 100000), BENCH_WARMUP_COMPLETIONS (the unreported first
 * run, default 20000), BENCH_DATABASES (default "sqlite,postgres"),
 * CLICKTRAIL_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../server/server';
import type { DatabaseConfig } from '../../server/storage/database';
import { scratchDatabase } from '../../server/storage/scratch-database';
import type { IngestJob, IngestResult } from './load';
import type { Arrival, ReceiverMessage } from './receiver';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PG_ADMIN_URL = process.env.CLICKTRAIL_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const COMPLETIONS = Number(process.env.BENCH_COMPLETIONS ?? 100_000);
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',') as DatabaseConfig['kind'][];
const WORKFLOWS = 100;
const TIMER_SECONDS = 2;
const DRAIN_TIMEOUT_MS = 180_000;
const WARMUP_COMPLETIONS = Number(process.env.BENCH_WARMUP_COMPLETIONS ?? 20_000);
const BATCH_SIZE = 500;
/** As bench:ingest's batch scenario: enough clients for the server's group commits to fill up. */
const BATCH_CONNECTIONS = Number(process.env.BENCH_BATCH_CONNECTIONS ?? 10);

const TARGETS = { ingestShare: 0.9, timerLatenessP99Ms: 2000, webhookP99Ms: 5000 };

type Kind = DatabaseConfig['kind'];

/** The webhook receiver, started as its own process (see receiver.ts). */
async function startReceiver() {
  const child = fork(path.join(ROOT, 'bench/workflows/receiver.ts'), { execArgv: ['--import', 'tsx'] });
  const ask = (question: 'count' | 'arrivals') =>
    new Promise<ReceiverMessage>((resolve) => {
      child.once('message', (answer) => resolve(answer as ReceiverMessage));
      child.send(question);
    });
  const started = await new Promise<ReceiverMessage>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ReceiverMessage));
    child.once('exit', (code) => reject(new Error(`webhook receiver exited with ${code}`)));
  });
  const port = (started as { port: number }).port;
  return {
    url: (pathname: string) => `http://127.0.0.1:${port}${pathname}`,
    /** Distinct webhooks received so far. */
    count: async () => ((await ask('count')) as { count: number }).count,
    arrivals: async () => ((await ask('arrivals')) as { arrivals: Arrival[] }).arrivals,
    close: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}

async function api(server: RunningServer, key: string, pathname: string, json: unknown) {
  const response = await fetch(server.url + pathname, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(json),
  });
  if (!response.ok) throw new Error(`${pathname} answered ${response.status}: ${await response.text()}`);
  return response;
}

function ingestInChild(job: IngestJob): Promise<IngestResult> {
  const child = fork(path.join(ROOT, 'bench/workflows/load.ts'), { execArgv: ['--import', 'tsx'] });
  return new Promise<IngestResult>((resolve, reject) => {
    child.once('message', (result) => resolve(result as IngestResult));
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    child.send(job);
  }).finally(() => child.kill());
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

interface RunResult {
  ingest: IngestResult;
  /** This process's CPU time (server and engine, every thread) during the ingest, per 1,000 completions. */
  cpuMsPerThousand: number;
  webhookLatencies: number[];
  timerLateness: number[];
  expectedWebhooks: number;
  expectedTimers: number;
  resent: number;
}

async function run(kind: Kind, withWorkflows: boolean, completions = COMPLETIONS): Promise<RunResult> {
  const database = await scratchDatabase(kind, PG_ADMIN_URL);
  const receiver = await startReceiver();
  const server = await startServer(
    { port: 0, host: '127.0.0.1', database: database.config },
    { workflows: { allowPrivateNetwork: true } },
  );
  const key = server.bootstrap.newKey!;
  const portalId = server.bootstrap.portal.id;
  try {
    await api(server, key, '/events/v3/event-definitions', {
      label: 'Product viewed',
      name: 'product_viewed',
      propertyDefinitions: [
        {
          name: 'plan',
          label: 'Plan',
          type: 'enumeration',
          options: ['free', 'pro'].map((value) => ({ label: value, value })),
        },
        { name: 'amount', label: 'Amount', type: 'number' },
      ],
    });
    await api(server, key, '/events/v3/event-definitions', { label: 'Timer probe', name: 'timer_probe' });
    if (withWorkflows) {
      for (let index = 0; index < WORKFLOWS; index++) {
        await api(server, key, '/automation/v1/workflows', {
          name: `Amount ${index}`,
          enabled: true,
          reenrollment: true,
          triggers: [
            { eventName: 'product_viewed', filters: [{ property: 'amount', operator: 'eq', value: String(index) }] },
          ],
          steps: [{ type: 'webhook', url: receiver.url(`/w/${index}`) }],
        });
      }
      await api(server, key, '/automation/v1/workflows', {
        name: 'Timer',
        enabled: true,
        reenrollment: true,
        triggers: [{ eventName: 'timer_probe', filters: [] }],
        steps: [
          { type: 'delay', seconds: TIMER_SECONDS },
          { type: 'webhook', url: receiver.url('/timer') },
        ],
      });
    }
    // Timer probes during the ingest: one every 50 ms, each due TIMER_SECONDS after it enrolled.
    // Sent in both runs, so the only difference between them is the workflows.
    let probing = true;
    let probes = 0;
    const prober = (async () => {
      while (probing) {
        await api(server, key, '/events/v3/send', {
          eventName: `pe${portalId}_timer_probe`,
          email: `probe-${probes}@example.com`,
        });
        probes++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const cpuBefore = process.cpuUsage();
    const ingest = await ingestInChild({
      url: server.url,
      apiKey: key,
      eventName: `pe${portalId}_product_viewed`,
      completions,
      batchSize: BATCH_SIZE,
      connections: BATCH_CONNECTIONS,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerThousand = ((cpu.user + cpu.system) / 1000 / ingest.completions) * 1000;
    probing = false;
    await prober;
    const expectedWebhooks = withWorkflows ? completions / 100 : 0;
    const expectedTimers = withWorkflows ? probes : 0;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while ((await receiver.count()) < expectedWebhooks + expectedTimers && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // A webhook answered later than the timeout is sent again with the same idempotency key: the
    // first arrival counts for latency, the others are reported as re-sends.
    const seen = new Set<string>();
    let resent = 0;
    const firstArrivals = (await receiver.arrivals()).filter((arrival) => {
      if (!seen.has(arrival.key)) return seen.add(arrival.key);
      resent++;
      return false;
    });
    const webhookLatencies = firstArrivals
      .filter((arrival) => arrival.path.startsWith('/w/'))
      .map((arrival) => arrival.at - Date.parse(arrival.occurredAt));
    // Due time of each timer: the history entry written when its delay started.
    const delayed = await server.database.db
      .selectFrom('workflow_history')
      .select(['enrolment_id', 'detail'])
      .where('kind', '=', 'delayed')
      .execute();
    const dueOf = new Map(
      delayed.map((row) => [String(row.enrolment_id), Date.parse(row.detail!.replace(/^until /, ''))]),
    );
    const timerLateness = firstArrivals
      .filter((arrival) => arrival.path === '/timer')
      .map((arrival) => arrival.at - dueOf.get(arrival.enrolmentId)!);
    return { ingest, cpuMsPerThousand, webhookLatencies, timerLateness, expectedWebhooks, expectedTimers, resent };
  } finally {
    await server.close();
    receiver.close();
    await database.dispose();
  }
}

const number = (value: number) => Math.round(value).toLocaleString('en-US');

async function main(): Promise<void> {
  const started = new Date();
  const load = os.loadavg()[0]!;
  const rows: string[] = [];
  const verdicts: string[] = [];
  let failed = false;
  for (const kind of DATABASES) {
    console.log(`${kind}: ingesting ${number(COMPLETIONS)} completions without workflows...`);
    // A first, unreported run warms up the process (JIT, caches), so that neither measured run
    // pays for it: the run without workflows would otherwise always be the cold one.
    await run(kind, true, WARMUP_COMPLETIONS);
    const without = await run(kind, false);
    console.log(`${kind}: ingesting ${number(COMPLETIONS)} completions with ${WORKFLOWS} workflows on...`);
    const withFlows = await run(kind, true);
    const rateWithout = without.ingest.completions / without.ingest.seconds;
    const rateWith = withFlows.ingest.completions / withFlows.ingest.seconds;
    const share = rateWith / rateWithout;
    const failures = (result: IngestResult) =>
      Object.entries(result.failures)
        .map(([status, count]) => `${count}×${status}`)
        .join(', ') || '0';
    rows.push(
      `| ${kind} | ingest without workflows | ${number(rateWithout)} completions/s; server CPU ${without.cpuMsPerThousand.toFixed(1)} ms per 1,000 | ${failures(without.ingest)} failed batches | — |`,
      `| ${kind} | ingest with ${WORKFLOWS} workflows on | ${number(rateWith)} completions/s (${(share * 100).toFixed(0)}% of without); server CPU ${withFlows.cpuMsPerThousand.toFixed(1)} ms per 1,000 (${((without.cpuMsPerThousand / withFlows.cpuMsPerThousand) * 100).toFixed(0)}% of the completions per CPU second without) | ${failures(withFlows.ingest)} failed batches | ≥ ${TARGETS.ingestShare * 100}%: ${share >= TARGETS.ingestShare ? 'pass' : 'FAIL'} |`,
      `| ${kind} | completion → webhook (${number(withFlows.webhookLatencies.length)} of ${number(withFlows.expectedWebhooks)} delivered) | p50 ${number(percentile(withFlows.webhookLatencies, 0.5))} ms, p99 ${number(percentile(withFlows.webhookLatencies, 0.99))} ms | — | p99 ≤ ${TARGETS.webhookP99Ms} ms: ${percentile(withFlows.webhookLatencies, 0.99) <= TARGETS.webhookP99Ms && withFlows.webhookLatencies.length === withFlows.expectedWebhooks ? 'pass' : 'FAIL'} |`,
      `| ${kind} | timer lateness, ${TIMER_SECONDS} s delay during ingest (${number(withFlows.timerLateness.length)} of ${number(withFlows.expectedTimers)} fired) | p50 ${number(percentile(withFlows.timerLateness, 0.5))} ms, p99 ${number(percentile(withFlows.timerLateness, 0.99))} ms | — | p99 ≤ ${TARGETS.timerLatenessP99Ms} ms: ${percentile(withFlows.timerLateness, 0.99) <= TARGETS.timerLatenessP99Ms && withFlows.timerLateness.length === withFlows.expectedTimers ? 'pass' : 'FAIL'} |`,
    );
    failed ||= rows.some((row) => row.endsWith('FAIL |'));
    verdicts.push(
      `- ${kind}: ${WORKFLOWS} workflows cost ${((1 - share) * 100).toFixed(0)}% of the ingest rate; ${number(withFlows.webhookLatencies.length)} webhooks and ${number(withFlows.timerLateness.length)} timers delivered; ${number(withFlows.resent)} re-sent (same idempotency key) after an answer slower than the 10 s timeout.`,
    );
  }
  const report = [
    '# Workflows benchmark',
    '',
    `${started.toISOString()} · Node ${process.version} · ${os.cpus().length} CPUs · load average ${load.toFixed(1)} at start → ${os.loadavg()[0]!.toFixed(1)} at end · ${number(COMPLETIONS)} completions per run`,
    '',
    `Server and workflow engine (polling every 200 ms) in this process; the webhook receiver (answers 200 at once) and the load generator each in a process of their own. The completions come in batches of ${BATCH_SIZE} over ${BATCH_CONNECTIONS} keep-alive connections, as fast as they are answered; both runs also send a probe completion every 50 ms, and a first unreported run (${number(WARMUP_COMPLETIONS)} completions, workflows on) warms the process up so that neither measured run is the cold one. The ${WORKFLOWS} workflows each filter on one value of \`amount\` (uniform over 0..9,999), so every completion is checked against all ${WORKFLOWS} and 1% enrol and post a webhook. Latency: from the completion's \`occurredAt\` (set when its batch was sent) to the webhook's arrival. Timers: a probe completion every 50 ms during the ingest enrols in a workflow that waits ${TIMER_SECONDS} s, then posts a webhook; lateness is arrival minus due time.`,
    '',
    '| Database | Scenario | Result | Errors | Target |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...verdicts,
    '',
  ].join('\n');
  console.log(`\n${report}`);
  fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/results/workflows.md'), report);
  process.exitCode = failed ? 1 : 0;
}

await main();
