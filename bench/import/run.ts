/**
 * `npm run bench:import`: a generated 1,000,000-row CSV and a 100,000-row XLSX imported through
 * the real server process (`server/main.ts`) on SQLite and PostgreSQL. Measures the job's rows/s,
 * the server process's peak RSS (VmHWM), and the latency of other API requests sent while the
 * import runs, next to the same requests on the idle server and to the ceiling of reading the file
 * alone (the same streaming reader, no validation or storage). Prints pass/fail against the
 * targets and writes bench/results/import.md.
 *
 * BENCH_IMPORT_ROWS / BENCH_IMPORT_XLSX_ROWS shrink the files for a quick run (the targets are
 * only judged at full size); BENCH_IMPORT_DATABASES=sqlite skips PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { importPreviewSchema, importStatusSchema, type ImportStatus } from '../../lib/shared';
import { ensureDefaultPortal } from '../../server/bootstrap';
import { readRows } from '../../server/imports/readers';
import { openDatabase, sqliteHandleOf } from '../../server/storage/database';
import { createDefinition } from '../../server/storage/event-definitions';
import { row, writeCsv, writeXlsx } from './files';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CSV_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const XLSX_ROWS = Number(process.env.BENCH_IMPORT_XLSX_ROWS ?? 100_000);
const KINDS = (process.env.BENCH_IMPORT_DATABASES ?? 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[];
const PG_ADMIN_URL = process.env.CLICKTRAIL_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGETS = { csvSeconds: 60, rssMb: 300, p99Ms: 100 };
const FULL_SIZE = CSV_ROWS >= 1_000_000;

interface Server {
  child: ChildProcess;
  url: string;
  key: string;
  /** The probe event's fully qualified name, once created. */
  eventName?: string;
  dispose(): Promise<void>;
}

/** A fresh database and the real server process on it. */
async function startServer(kind: 'sqlite' | 'postgres', work: string): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(work, 'data-'));
  let env: NodeJS.ProcessEnv = { CLICKTRAIL_DATA_DIR: dataDir, DATABASE_URL: '' };
  let drop = async () => {};
  if (kind === 'postgres') {
    const name = `clicktrail_bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    env = { CLICKTRAIL_DATA_DIR: dataDir, DATABASE_URL: url.toString() };
    drop = async () => {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const { url, key } = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      // The banner is written whole; the key's line ends it unless --demo adds more.
      const apiKey = /API key \(shown once, store it now\): (\S+)\n/.exec(output)?.[1];
      if (found && apiKey) {
        clearTimeout(timer);
        resolve({ url: found, key: apiKey });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return {
    child,
    url,
    key,
    dispose: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      await drop();
    },
  };
}

/** Peak resident set of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** Latencies of other API requests (a list of definitions, a completion send), one after another. */
async function probe(server: Server, until: () => boolean, minRequests = 0): Promise<number[]> {
  const headers = { Authorization: `Bearer ${server.key}` };
  const latencies: number[] = [];
  for (let index = 0; until() === false || latencies.length < minRequests; index++) {
    const started = performance.now();
    const response =
      index % 2 === 0
        ? await fetch(`${server.url}/events/v3/event-definitions?limit=10`, { headers })
        : await fetch(`${server.url}/events/v3/send`, {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json' },
            body: JSON.stringify({ eventName: server.eventName, email: `probe${index}@example.com`, properties: {} }),
          });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`probe request failed with ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return latencies.sort((a, b) => a - b);
}

interface Measured {
  database: string;
  file: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  readerRowsPerSecond: number;
  peakRssMb: number;
  idle: number[];
  during: number[];
}

async function measure(kind: 'sqlite' | 'postgres', file: string, rows: number, work: string): Promise<Measured> {
  const server = await startServer(kind, work);
  try {
    const headers = { Authorization: `Bearer ${server.key}` };
    const created = await fetch(`${server.url}/events/v3/event-definitions`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'Probe' }),
    });
    server.eventName = ((await created.json()) as { fullyQualifiedName: string }).fullyQualifiedName;
    const idle = await probe(server, () => true, 100);

    const form = new FormData();
    form.append('file', await fs.openAsBlob(file), path.basename(file));
    const uploaded = await fetch(`${server.url}/imports/v1`, { method: 'POST', headers, body: form });
    if (uploaded.status !== 201) throw new Error(`upload failed: ${uploaded.status} ${await uploaded.text()}`);
    const preview = importPreviewSchema.parse(await uploaded.json());
    const started = await fetch(`${server.url}/imports/v1/${preview.id}/start`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        event: { create: { label: `Bench ${path.basename(file)}` } },
        mapping: preview.proposedMapping,
        consent: true,
      }),
    });
    if (started.status !== 202) throw new Error(`start failed: ${started.status} ${await started.text()}`);
    let status: ImportStatus | undefined;
    let done = false;
    const watcher = (async () => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        status = importStatusSchema.parse(
          await (await fetch(`${server.url}/imports/v1/${preview.id}`, { headers })).json(),
        );
        done = !['QUEUED', 'RUNNING'].includes(status.status);
        process.stdout.write(
          `\r  ${kind} ${path.basename(file)}: ${status.rowsRead} rows, ${status.rowsPerSecond} rows/s   `,
        );
      }
      process.stdout.write('\n');
    })();
    const during = await probe(server, () => done);
    await watcher;
    if (status?.status !== 'COMPLETED' || status.rowsImported !== rows) {
      throw new Error(`import did not complete: ${JSON.stringify(status)}`);
    }
    const seconds = (Date.parse(status.finishedAt!) - Date.parse(status.startedAt!)) / 1000;

    // The ceiling: the same streaming reader over the same file, nothing else.
    const readStart = performance.now();
    let read = 0;
    for await (const _ of readRows(file, file.endsWith('.csv') ? 'csv' : 'xlsx')) read++;
    const readSeconds = (performance.now() - readStart) / 1000;
    return {
      database: kind === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      file: `${rows.toLocaleString('en-US')}-row ${file.endsWith('.csv') ? 'CSV' : 'XLSX'}`,
      rows,
      seconds,
      rowsPerSecond: Math.round(rows / seconds),
      readerRowsPerSecond: Math.round((read - 1) / readSeconds),
      peakRssMb: Math.round(peakRssMb(server.child.pid!)),
      idle,
      during,
    };
  } finally {
    await server.dispose();
  }
}

/**
 * The ceiling of SQLite itself on this machine, now: the file's rows stored into a fresh database
 * with the server's schema (the same table and indexes), through one prepared statement, 1,000 rows
 * per transaction committed as the import commits them (16 MB page cache, no fsync per commit) —
 * without parsing, validation or contacts. Rows per second.
 */
async function sqliteAlone(rows: number, work: string): Promise<number> {
  const { db } = await openDatabase({
    kind: 'sqlite',
    file: path.join(fs.mkdtempSync(path.join(work, 'alone-')), 'db'),
  });
  try {
    const { portal } = await ensureDefaultPortal(db);
    await createDefinition(db, portal.id, {
      name: 'alone',
      label: 'Alone',
      primaryObject: 'CONTACT',
      trackingType: 'IMPORT',
      properties: [],
    });
    const { id } = await db
      .selectFrom('event_definitions')
      .select('id')
      .where('name', '=', 'alone')
      .executeTakeFirstOrThrow();
    const sqlite = sqliteHandleOf(db)!;
    sqlite.pragma('cache_size = -16384');
    sqlite.pragma('synchronous = NORMAL');
    const insert = sqlite.prepare(
      `INSERT INTO completions (portal_id, definition_id, object_type, object_id, occurred_at, uuid, properties_json, received_at)
       VALUES (?, ?, 'CONTACT', ?, ?, ?, ?, ?)
       ON CONFLICT (portal_id, uuid) WHERE uuid IS NOT NULL DO NOTHING RETURNING id`,
    );
    const batch = sqlite.transaction((from: number, to: number) => {
      for (let index = from; index < to; index++) {
        const [, time, plan, amount, note] = row(index);
        const properties = JSON.stringify({ plan, amount, note });
        insert.get(
          portal.id,
          id,
          String((index % 50_000) + 1),
          time.getTime(),
          `import:alone:${index + 2}`,
          properties,
          Date.now(),
        );
      }
    });
    const started = performance.now();
    for (let from = 0; from < rows; from += 1000) batch.immediate(from, Math.min(rows, from + 1000));
    return Math.round(rows / ((performance.now() - started) / 1000));
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-bench-import-'));
  try {
    const csv = path.join(work, 'events.csv');
    const xlsx = path.join(work, 'events.xlsx');
    console.log(`Generating a ${CSV_ROWS}-row CSV and a ${XLSX_ROWS}-row XLSX in ${work} ...`);
    await writeCsv(csv, CSV_ROWS);
    await writeXlsx(xlsx, XLSX_ROWS);
    const loadAtStart = os.loadavg()[0]!;
    const results: Measured[] = [];
    let alone: number | undefined;
    for (const kind of KINDS) {
      results.push(await measure(kind, csv, CSV_ROWS, work));
      // Right after the import it is compared with, under the same load.
      if (kind === 'sqlite') alone = await sqliteAlone(CSV_ROWS, work);
      results.push(await measure(kind, xlsx, XLSX_ROWS, work));
    }

    const fmt = (value: number) => value.toFixed(1);
    const lines = [
      `# bench:import — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs, load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end${os.getPriority() > 0 ? `, run at nice ${os.getPriority()}` : ''}`,
      '',
      `Real server process (\`server/main.ts\`), upload through \`POST /imports/v1\`, job timed from start to finish by the`,
      'server. "Reader alone" is the ceiling: the same streaming reader over the same file with no validation or',
      'storage. Latencies are sequential `GET /events/v3/event-definitions` and `POST /events/v3/send` requests on the',
      'idle server and while the import runs (ms, median / p95 / p99).',
      '',
      '| database | file | import s | rows/s | reader alone rows/s | peak RSS MB | idle p50 / p95 / p99 | during import p50 / p95 / p99 | requests |',
      '| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: |',
      ...results.map(
        (r) =>
          `| ${r.database} | ${r.file} | ${fmt(r.seconds)} | ${r.rowsPerSecond} | ${r.readerRowsPerSecond} | ${r.peakRssMb} | ${[50, 95, 99].map((p) => fmt(percentile(r.idle, p))).join(' / ')} | ${[50, 95, 99].map((p) => fmt(percentile(r.during, p))).join(' / ')} | ${r.during.length} |`,
      ),
      '',
    ];
    const sqliteCsv = results.find((r) => r.database === 'SQLite' && r.file.endsWith('CSV'));
    if (sqliteCsv && alone !== undefined) {
      lines.push(
        `SQLite alone (the ceiling of the storage, measured right after the SQLite CSV import: the same rows into a fresh database with the same table, indexes and commit settings, one prepared statement, 1,000 rows per transaction, no parsing, validation or contacts): ${alone} rows/s; the import reached ${Math.round((100 * sqliteCsv.rowsPerSecond) / alone)}% of it and ${Math.round((100 * sqliteCsv.rowsPerSecond) / sqliteCsv.readerRowsPerSecond)}% of its reader alone.`,
        '',
      );
    }
    lines.push(`Targets${FULL_SIZE ? '' : ' (judged at full size only: this run used smaller files)'}:`, '');
    const checks: [string, boolean][] = [];
    if (sqliteCsv) {
      checks.push([
        `${sqliteCsv.file} on SQLite in ≤ ${TARGETS.csvSeconds} s: ${fmt(sqliteCsv.seconds)} s`,
        sqliteCsv.seconds <= TARGETS.csvSeconds,
      ]);
    }
    for (const r of results) {
      checks.push([
        `${r.database} ${r.file}: peak RSS ≤ ${TARGETS.rssMb} MB: ${r.peakRssMb} MB`,
        r.peakRssMb <= TARGETS.rssMb,
      ]);
      const p99 = percentile(r.during, 99);
      checks.push([
        `${r.database} ${r.file}: API p99 during import ≤ ${TARGETS.p99Ms} ms: ${fmt(p99)} ms`,
        p99 <= TARGETS.p99Ms,
      ]);
    }
    for (const [text, ok] of checks) lines.push(`- ${ok ? 'PASS' : 'FAIL'} ${text}`);
    const table = lines.join('\n');
    console.log(`\n${table}`);
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench/results/import.md'), `${table}\n`);
    console.log('\nWritten to bench/results/import.md');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
