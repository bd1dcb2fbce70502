/**
 * `npm run bench:tracker`: the site tracker against its targets (issue 9), in one run —
 * 1. gzipped size of `.output/tracker/tracker.js` (built now with vite.tracker.config.ts) beside
 *    the peers' browser SDKs built now from their npm packages, each bundled the same way (vite
 *    lib mode, iife, minified, es2022, one file) from a one-line entry that imports and
 *    initialises it (bench/tracker/peers/*.ts), gzipped the same way; and what each module of
 *    the tracker costs;
 * 2. per-click cost in real Chromium on the largest corpus page with 10, 100 and 500 click
 *    definitions, timed inside the page with performance.now() around a dispatched click: no
 *    tracker (the page's own dispatch), the real tracker.js, and a naive tracker that searches
 *    every definition on every click;
 * 3. the selector-health check per sampled page view (the tracker's own scheduler, real idle
 *    callbacks): total time (all its slices), its longest idle slice, and long tasks seen by a
 *    PerformanceObserver — with every definition working, and with every tenth one broken (its
 *    element removed: the expensive check), each of which must be reported (mostly as `none`; a
 *    copy of the element elsewhere on the page may still be found).
 * Prints the table and writes bench/results/tracker.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../lib/browsers/chromium';
import type { TrackerConfig } from '../../lib/shared';
import { HEALTH_BUDGET_MS } from '../../lib/tracker/health';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const RESULTS = path.join(ROOT, 'bench/results/tracker.md');
const CLICKS = Number(process.env.BENCH_CLICKS ?? 200);
/** Elements clicked once each on a fresh page (at most the number of definitions). */
const FIRST_CLICKS = 100;
const HEALTH_RUNS = Number(process.env.BENCH_HEALTH_RUNS ?? 200);
/** In the broken-definitions health row, every this-many-th tracked element is removed from the page. */
const BROKEN_EVERY = 10;
/** Definition counts; `BENCH_COUNTS=100` for a quick run of one row. */
const COUNTS = (process.env.BENCH_COUNTS ?? '10,100,500').split(',').map(Number);
const TARGETS = { gzipBytes: 8 * 1024, clickMedianMs: 0.1, healthP95Ms: 5, longTasks: 0 };
const PEERS = [
  { name: 'posthog-js', entry: 'posthog.ts' },
  { name: 'mixpanel-browser', entry: 'mixpanel.ts' },
  { name: '@amplitude/analytics-browser', entry: 'amplitude.ts' },
  { name: '@segment/analytics-next', entry: 'segment.ts' },
];

type Harness = typeof import('./page/harness');
type Definition = TrackerConfig['definitions'][number];
declare const TrackerBench: Harness;

function chunkOf(output: Awaited<ReturnType<typeof build>>): Rolldown.OutputChunk {
  for (const result of Array.isArray(output) ? output : [output]) {
    if ('output' in result) {
      const chunk = result.output.find((item) => item.type === 'chunk');
      if (chunk?.type === 'chunk') return chunk;
    }
  }
  throw new Error('the build produced no script');
}

/** Vite lib mode, iife, one file: the same settings for every script measured here. */
async function bundle(entry: string, name: string, minify: boolean): Promise<Rolldown.OutputChunk> {
  return chunkOf(
    await build({
      configFile: false,
      logLevel: 'silent',
      root: ROOT,
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        write: false,
        minify,
        target: 'es2022',
        lib: { entry, formats: ['iife'], name },
        rolldownOptions: { output: { codeSplitting: false } },
      },
    }),
  );
}

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface Sizes {
  tracker: { minified: number; gzipped: number; code: string };
  modules: { id: string; minified: number }[];
  peers: { name: string; version: string; minified: number; gzipped: number }[];
}

async function sizes(): Promise<Sizes> {
  const chunk = chunkOf(
    await build({
      configFile: path.join(ROOT, 'vite.tracker.config.ts'),
      logLevel: 'silent',
      build: { write: false },
    }),
  );
  const modules = Object.entries(chunk.modules)
    .map(([id, info]) => ({ id: path.relative(ROOT, id), minified: info.renderedLength }))
    .sort((a, b) => b.minified - a.minified);
  const peers = [];
  for (const peer of PEERS) {
    console.error(`bundling ${peer.name}…`);
    const code = (await bundle(path.join(ROOT, 'bench/tracker/peers', peer.entry), 'Peer', true)).code;
    const { version } = JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules', peer.name, 'package.json'), 'utf8'),
    ) as { version: string };
    peers.push({ name: peer.name, version, minified: Buffer.byteLength(code), gzipped: gzip(code) });
  }
  return {
    tracker: { minified: Buffer.byteLength(chunk.code), gzipped: gzip(chunk.code), code: chunk.code },
    modules,
    peers,
  };
}

interface Stats {
  median: number;
  p95: number;
  max: number;
}
function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}
const ms = (value: number) => (value < 1 ? value.toFixed(3) : value < 10 ? value.toFixed(2) : value.toFixed(1));
const cell = (s: Stats) => `${ms(s.median)} / ${ms(s.p95)}`;

const SITE = 'https://site.example/';
const SERVER = 'https://ct.example';
const CORS = { 'access-control-allow-origin': '*' };

/**
 * Serves the corpus page at SITE with its own scripts off (CSP), the tracker and its endpoints at
 * SERVER (config answering `config`, collect answering 200), and aborts everything else.
 */
async function show(page: Page, html: string, harness: string, config?: TrackerConfig): Promise<void> {
  await page.unroute('**/*');
  await page.route('**/*', async (route) => {
    const request = route.request();
    const url = request.url();
    if (url === SITE) {
      await route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: {
          'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-eval' ${SERVER}; connect-src ${SERVER}`,
          // Cross-origin isolated: performance.now() then has 5 µs resolution instead of 100 µs.
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        },
        body: html,
      });
    } else if (url === `${SERVER}/tracker.js`) {
      await route.fulfill({
        status: 200,
        contentType: 'text/javascript',
        headers: { 'cross-origin-resource-policy': 'cross-origin' },
        body: trackerCode,
      });
    } else if (url.endsWith('/config') && config) {
      await route.fulfill({
        status: 200,
        headers: CORS,
        contentType: 'application/json',
        body: JSON.stringify(config),
      });
    } else if (url.endsWith('/collect')) {
      await route.fulfill({ status: 200, headers: CORS, contentType: 'application/json', body: '{"accepted":1}' });
    } else await route.abort();
  });
  await page.goto(SITE, { waitUntil: 'load', timeout: 120_000 });
  await page.evaluate(harness);
}

let trackerCode = '';
let startLoad = '';

/** The corpus page with tracker.js loaded from SERVER and configured with `config`. */
async function withTracker(page: Page, html: string, harness: string, config: TrackerConfig, count: number) {
  await show(page, html, harness, config);
  const configured = page.waitForResponse((response) => response.url().endsWith('/config'));
  await page.evaluate((src) => {
    const script = document.createElement('script');
    script.src = src;
    script.dataset.portalId = '1';
    document.head.append(script);
  }, `${SERVER}/tracker.js`);
  await configured;
  await page.waitForFunction(() => 'clicktrail' in window);
  await page.evaluate((n) => TrackerBench.useTargets(n), count);
}

interface ClickSamples {
  first: number;
  /** The dispatch alone. */
  stats: Stats;
  /** The timer tasks the click started (the tracker's send), timed apart. */
  send: Stats;
  /** Dispatch and send of each click added up. */
  total: Stats;
}

async function clickSamples(page: Page, count: number, samples: number): Promise<ClickSamples> {
  const first = await page.evaluate((i) => TrackerBench.click(i), 0);
  for (let index = 1; index < 5; index++) await page.evaluate((i) => TrackerBench.clickAndSend(i), index);
  const out: { click: number; send: number }[] = [];
  for (let index = 0; index < samples; index++)
    out.push(await page.evaluate((i) => TrackerBench.clickAndSend(i), index));
  return {
    first,
    stats: stats(out.map((o) => o.click)),
    send: stats(out.map((o) => o.send)),
    total: stats(out.map((o) => o.click + o.send)),
  };
}

interface ClickRow {
  definitions: number;
  bare: Stats;
  tracker: Stats;
  /** The send task the tracker's click started, and click + send. */
  trackerSend: Stats;
  trackerTotal: Stats;
  trackerFirst: number;
  /** The first click on each element (nothing cached for it yet). */
  firsts: Stats;
  naive: Stats;
}
interface HealthRow {
  definitions: number;
  /** Names of the definitions whose element was removed (empty: every definition works). */
  broken: string[];
  total: Stats;
  /** The longest slice of each page view. */
  slice: Stats;
  slices: number;
  checks: number;
  /** Reports of the broken definitions, and how many of them said `none`. */
  brokenReports: number;
  brokenNone: number;
  /** Broken definitions reported at least once. */
  brokenSeen: number;
  /** Long tasks on the page while the row ran, and of them those during a health-check slice. */
  longTasks: { all: number; duringHealth: number };
}

async function main(): Promise<void> {
  startLoad = (os.loadavg()[0] ?? 0).toFixed(1);
  const measured = await sizes();
  trackerCode = measured.tracker.code;
  const harness = (await bundle(path.join(ROOT, 'bench/tracker/page/harness.ts'), 'TrackerBench', false)).code;
  const largest = fs
    .readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html'))
    .map((file) => ({ file, size: fs.statSync(path.join(CORPUS, file)).size }))
    .sort((a, b) => b.size - a.size)[0]!;
  const html = fs.readFileSync(path.join(CORPUS, largest.file), 'utf8');

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  const clicks: ClickRow[] = [];
  const health: HealthRow[] = [];
  let elements = 0;
  try {
    for (const count of COUNTS) {
      console.error(`${count} definitions: making them…`);
      await show(page, html, harness);
      elements = await page.evaluate(() => document.getElementsByTagName('*').length);
      const definitions: Definition[] = await page.evaluate((n) => TrackerBench.definitions(n), count);

      console.error(`${count} definitions: no tracker…`);
      await show(page, html, harness);
      await page.evaluate((n) => TrackerBench.useTargets(n), count);
      const bare = await clickSamples(page, count, CLICKS);

      console.error(`${count} definitions: tracker.js…`);
      const config: TrackerConfig = {
        portalId: 1,
        definitions,
        privacy: { consentMode: 'none', respectDoNotTrack: false },
        healthSampleRate: 0,
      };
      await withTracker(page, html, harness, config, count);
      const tracker = await clickSamples(page, count, CLICKS);

      console.error(`${count} definitions: tracker.js, first click on each element…`);
      await withTracker(page, html, harness, config, count);
      const firsts: number[] = [];
      // Each element once (13 is prime to every count): what a click costs before the cache knows it.
      for (let index = 0; index < Math.min(count, FIRST_CLICKS); index++)
        firsts.push(await page.evaluate((i) => TrackerBench.click(i), index));

      console.error(`${count} definitions: naive tracker…`);
      await show(page, html, harness);
      await page.evaluate((defs) => TrackerBench.installNaive(defs), definitions);
      await page.evaluate((n) => TrackerBench.useTargets(n), count);
      const naive = await clickSamples(page, count, Math.min(CLICKS, count >= 500 ? 20 : 60));
      clicks.push({
        definitions: count,
        bare: bare.stats,
        tracker: tracker.stats,
        trackerSend: tracker.send,
        trackerTotal: tracker.total,
        trackerFirst: tracker.first,
        firsts: stats(firsts),
        naive: naive.stats,
      });

      if (count >= 100) {
        for (const breaking of count === 100 ? [false, true] : [false]) {
          console.error(`${count} definitions${breaking ? ', some broken' : ''}: health check…`);
          await show(page, html, harness);
          await page.evaluate((n) => TrackerBench.useTargets(n), count);
          const broken = breaking ? await page.evaluate((n) => TrackerBench.breakTargets(n), BROKEN_EVERY) : [];
          await page.evaluate(() => TrackerBench.observeLongTasks());
          const totals: number[] = [];
          const longest: number[] = [];
          let slices = 0;
          let checks = 0;
          const brokenSignals: string[] = [];
          const brokenSeen = new Set<string>();
          for (let run = 0; run < HEALTH_RUNS; run++) {
            const result = await page.evaluate((defs) => TrackerBench.healthCheck(defs), definitions);
            totals.push(result.slices.reduce((sum, slice) => sum + slice, 0));
            longest.push(Math.max(...result.slices));
            slices += result.slices.length;
            checks += result.checks.length;
            for (const check of result.checks) {
              if (!broken.includes(check.eventName)) continue;
              brokenSignals.push(check.signal);
              brokenSeen.add(check.eventName);
            }
          }
          await page.waitForTimeout(200);
          const longTasks = await page.evaluate(() => TrackerBench.takeLongTasks());
          health.push({
            definitions: count,
            broken,
            total: stats(totals),
            slice: stats(longest),
            slices: slices / HEALTH_RUNS,
            checks: checks / HEALTH_RUNS,
            brokenReports: brokenSignals.length,
            brokenNone: brokenSignals.filter((signal) => signal === 'none').length,
            brokenSeen: brokenSeen.size,
            longTasks,
          });
        }
      }
    }
  } finally {
    await browser.close();
  }

  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const t = measured.tracker;
  const lines = [
    '# Site tracker benchmark',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} with \`npm run bench:tracker\` on a shared ${os.cpus().length}-core machine (load average ${startLoad} at the start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end); medians and ratios matter, absolute times are noisy.`,
    '',
    '## Size: gzipped script (level 9), each built now the same way (vite lib, iife, minified, one file)',
    '',
    '| script | version | minified | gzipped | × tracker.js |',
    '| --- | --- | ---: | ---: | ---: |',
    `| **Clicktrail tracker.js** (health, page and element properties, offline store, consent, custom code) | this tree | ${kb(t.minified)} | **${kb(t.gzipped)}** | 1.0 |`,
    ...measured.peers.map(
      (peer) =>
        `| ${peer.name} | ${peer.version} | ${kb(peer.minified)} | ${kb(peer.gzipped)} | ${(peer.gzipped / t.gzipped).toFixed(1)} |`,
    ),
    '',
    `Target ≤ ${kb(TARGETS.gzipBytes)} gzipped: ${verdict(t.gzipped <= TARGETS.gzipBytes)} (${t.gzipped} bytes). The peers' entries only import and initialise each SDK; lazily loaded parts (Segment's plugins, PostHog's extensions) are bundled into the one file, so their numbers include code a visitor may download later rather than up front.`,
    '',
    "### What each module of tracker.js costs (bytes of the module's code as the bundler rendered it, before the minifier and gzip: their sum is larger than the minified file; they rank the modules, they are not their share of the download)",
    '',
    '| module | minified |',
    '| --- | ---: |',
    ...measured.modules.map((module) => `| ${module.id} | ${module.minified} |`),
    '',
    `## Per click: ${largest.file} (${elements.toLocaleString('en')} elements), a dispatched click on a tracked element`,
    '',
    `Timed inside the page with \`performance.now()\` around \`dispatchEvent\`: every listener runs in it, for the tracker the search and the completion. The tracker sends a click's completion (\`JSON.stringify\` and \`fetch\`) in a timer task of its own right after the click; that task is timed apart (every \`setTimeout\` callback the click scheduled, timed when it runs) and shown next to it, and added to it in "click + send". Median / p95 in ms. "tracker.js": ${CLICKS} clicks going round the tracked elements (with 100 definitions about half of them the first click on their element, which searches the page); "first click": the very first click of the page; "first click on each element": on a fresh page, one click on each of up to ${FIRST_CLICKS} elements (the cost before the match cache knows the element's definitions).`,
    '',
    '| definitions | no tracker (page alone) | tracker.js | tracker.js: its send task after the click | tracker.js: click + send | tracker.js, first click | tracker.js, first click on each element | naive tracker (every definition searched on every click) | naive ÷ tracker.js (median) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...clicks.map(
      (row) =>
        `| ${row.definitions} | ${cell(row.bare)} | **${cell(row.tracker)}** | ${cell(row.trackerSend)} | ${cell(row.trackerTotal)} | ${ms(row.trackerFirst)} | **${cell(row.firsts)}** | ${cell(row.naive)} | ${(row.naive.median / row.tracker.median).toFixed(0)}× |`,
    ),
    '',
    (() => {
      const row = clicks.find((r) => r.definitions === 100);
      return row
        ? `Target ≤ ${TARGETS.clickMedianMs} ms median with 100 definitions: ${verdict(row.tracker.median <= TARGETS.clickMedianMs)} (${ms(row.tracker.median)} ms, of which the page's own dispatch is ${ms(row.bare.median)} ms); with the send task added: ${verdict(row.trackerTotal.median <= TARGETS.clickMedianMs)} (${ms(row.trackerTotal.median)} ms); first click on each element: ${verdict(row.firsts.median <= TARGETS.clickMedianMs)} (${ms(row.firsts.median)} ms).`
        : '';
    })(),
    '',
    `## Selector health per sampled page view (${HEALTH_RUNS} page views each, fresh match cache)`,
    '',
    `Each sampled page view checks the click definitions under their URL rule in a random order and starts no check once ${HEALTH_BUDGET_MS} ms were spent (a started check is continued in later idle slices until it finishes, so whether a definition is checked never depends on its own outcome). Time per page view is the sum of all its idle slices.`,
    '',
    '| definitions | broken (element removed) | total per page view (median / p95 ms) | idle slices per page view | longest slice of a page view (median / p95 / max ms) | definitions checked per page view | broken definitions: reports (of them `none`) / definitions reported at least once | long tasks (≥ 50 ms) during a health slice (on the page at all) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...health.map(
      (row) =>
        `| ${row.definitions} | ${row.broken.length} | ${cell(row.total)} | ${row.slices.toFixed(1)} | ${cell(row.slice)} / ${ms(row.slice.max)} | ${row.checks.toFixed(1)} | ${row.broken.length === 0 ? '–' : `${row.brokenReports} (${row.brokenNone}) / ${row.brokenSeen} of ${row.broken.length}`} | ${row.longTasks.duringHealth} (${row.longTasks.all}) |`,
    ),
    '',
    (() => {
      const row = health.find((r) => r.definitions === 100 && r.broken.length === 0);
      const broken = health.find((r) => r.broken.length > 0);
      const brokenOk = broken ? broken.brokenSeen === broken.broken.length : true;
      return row
        ? `Targets with 100 definitions: ≤ ${TARGETS.healthP95Ms} ms p95 per page view: ${verdict(row.total.p95 <= TARGETS.healthP95Ms)} (${ms(row.total.p95)} ms); never a long task: ${verdict(health.every((r) => r.longTasks.duringHealth === 0))}; every broken definition reported within ${HEALTH_RUNS} sampled page views: ${verdict(brokenOk)}.`
        : '';
    })(),
    '',
  ];
  const report = lines.join('\n');
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, report);
  console.log(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
