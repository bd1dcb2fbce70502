/**
 * `npm run bench:selectors`: Clicktrail's selector generator and matcher against
 * css-selector-generator, @medv/finder and a DevTools-style path, side by side in one run, in
 * real headless Chromium over the real pages of `../shared/corpus/`. Prints a markdown table
 * and writes it to `bench/results/selectors.md`.
 *
 * Options: `--pages <n>` / `--pairs <n>` limit the corpus (quick runs), `--only <text>` keeps
 * pages whose id contains the text, `--details <file>` writes per-pair tallies and Clicktrail's
 * misses (and its slow calls) as JSON, `--verbose` prints per-page phase timings, `--no-write`
 * leaves the results file alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CorpusTab, launchChromium } from './browser';
import { bundle, matcherSize } from './bundle';
import { pairs as listPairs, singlePages, type CorpusPage, type CorpusPair } from './corpus';
import type * as Harness from './page/harness';
import { GENERATORS } from './page/generators';
import { MUTATIONS, type MutationKind } from '../../lib/redeploys/mutations';
import { seedOf } from '../../lib/redeploys/random';
import { renderMarkdown, Results } from './report';

declare const ClicktrailBench: typeof Harness;

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus');
const RESULTS_FILE = path.join(REPO_ROOT, 'bench/results/selectors.md');

/**
 * Elements per site (spread over its pages, at least `MIN_PER_PAGE` each) and per pair: enough
 * for stable rates, small enough for ~5 minutes on 2 cores, and no site with many captures
 * (reddit has six, nytimes nine) dominates the result.
 */
const PER_SITE = 30;
const MIN_PER_PAGE = 8;
const PER_PAIR = 60;
/** A page with at least this many distinct generated class names counts as a "hashed classes" page. */
const HASHED_PAGE_MIN = 5;
const KINDS: readonly MutationKind[] = [...MUTATIONS, 'combined'];
const VERBOSE = process.argv.includes('--verbose');
const WORKERS = Math.max(1, Math.min(2, os.cpus().length));

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

type Miss = Harness.Miss & { page: string };

async function runPage(
  tab: CorpusTab,
  page: CorpusPage,
  perPage: number,
  results: Results,
  misses: Miss[],
): Promise<void> {
  if (!(await tab.load(page))) return;
  const { candidates, hashedClasses } = await tab.page.evaluate(() => ClicktrailBench.init());
  const indices = await tab.page.evaluate(([all, seed, count]) => ClicktrailBench.sampleCandidates(all, seed, count), [
    candidates,
    seedOf(page.id),
    perPage,
  ] as const);
  if (indices.length === 0) return;
  let mark = performance.now();
  const phase = (what: string) => {
    if (VERBOSE) process.stderr.write(`    ${page.id} ${what} ${(performance.now() - mark).toFixed(0)} ms\n`);
    mark = performance.now();
  };
  const generated = await tab.page.evaluate((list) => ClicktrailBench.generate(list, true), indices);
  phase('generate');
  const hashed = hashedClasses >= HASHED_PAGE_MIN;
  results.pages++;
  if (hashed) results.hashedPages.push(page.id);
  results.addGenerated(generated, true);
  for (const kind of KINDS) {
    const outcomes = await tab.page.evaluate(([k, seed]) => ClicktrailBench.redeploy(k, seed), [
      kind,
      seedOf(`${page.id}|${kind}`),
    ] as const);
    phase(kind);
    results.addSynthetic(kind, hashed, outcomes);
  }
  results.matchTimes.push(...(await tab.page.evaluate(() => ClicktrailBench.takeMatchTimes())));
  const taken = await tab.page.evaluate(() => ClicktrailBench.takeMisses());
  misses.push(...taken.map((m) => ({ ...m, page: page.id, kind: hashed ? `${m.kind} (hashed)` : m.kind })));
}

async function runPair(oldTab: CorpusTab, newTab: CorpusTab, pair: CorpusPair, results: Results, misses: Miss[]) {
  if (!(await oldTab.load(pair.old)) || !(await newTab.load(pair.new))) return;
  const keysOf = (tab: CorpusTab) =>
    tab.page.evaluate(() => ClicktrailBench.contentKeys(ClicktrailBench.init().candidates));
  const [oldKeys, newKeys] = await Promise.all([keysOf(oldTab), keysOf(newTab)]);
  const uniqueKeys = (keys: { index: number; key: string }[]) => {
    const count = new Map<string, number>();
    for (const { key } of keys) count.set(key, (count.get(key) ?? 0) + 1);
    return new Map(keys.filter(({ key }) => count.get(key) === 1).map(({ key, index }) => [key, index]));
  };
  const oldUnique = uniqueKeys(oldKeys);
  const newUnique = uniqueKeys(newKeys);
  const shared = [...oldUnique.keys()].filter((key) => newUnique.has(key));
  const oldIndices = await oldTab.page.evaluate(
    ([all, seed, count]) => ClicktrailBench.sampleCandidates(all, seed, count),
    [shared.map((key) => oldUnique.get(key)!), seedOf(pair.slug), PER_PAIR] as const,
  );
  const keyOfOld = new Map(shared.map((key) => [oldUnique.get(key)!, key]));
  const generated = await oldTab.page.evaluate((list) => ClicktrailBench.generate(list, false), oldIndices);
  results.addGenerated(generated, false);
  const slow = await oldTab.page.evaluate(() => ClicktrailBench.takeMisses());
  misses.push(...slow.map((m) => ({ ...m, page: pair.old.id })));
  const items = generated.map((result) => ({
    generated: result.generated,
    index: newUnique.get(keyOfOld.get(result.index)!)!,
  }));
  const outcomes = await newTab.page.evaluate((list) => ClicktrailBench.judgeElsewhere(list), items);
  results.addPair(pair.slug, outcomes);
  results.matchTimes.push(...(await newTab.page.evaluate(() => ClicktrailBench.takeMatchTimes())));
  misses.push(
    ...(await newTab.page.evaluate(() => ClicktrailBench.takeMisses())).map((m) => ({ ...m, page: pair.slug })),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = os.loadavg()[0]?.toFixed(1) ?? '?';
  if (!fs.existsSync(CORPUS)) throw new Error(`No corpus at ${CORPUS}`);
  const only = option('only');
  const pages = singlePages(CORPUS)
    .filter((page) => !only || page.id.includes(only))
    .slice(0, Number(option('pages') ?? Infinity));
  const pairList = listPairs(CORPUS)
    .filter((pair) => !only || pair.slug.includes(only))
    .slice(0, Number(option('pairs') ?? Infinity));
  const [script, matcher] = await Promise.all([
    bundle(REPO_ROOT, 'bench/selectors/page/harness.ts', 'ClicktrailBench'),
    matcherSize(REPO_ROOT),
  ]);
  const pagesOfSite = new Map<string, number>();
  for (const page of pages) pagesOfSite.set(page.site, (pagesOfSite.get(page.site) ?? 0) + 1);
  const perPage = (page: CorpusPage) =>
    Math.max(MIN_PER_PAGE, Math.floor(PER_SITE / (pagesOfSite.get(page.site) ?? 1)));
  const results = new Results(GENERATORS);
  results.sites = pagesOfSite.size;
  const misses: Miss[] = [];
  const browser: Browser = await launchChromium();
  interface Task {
    name: string;
    run: (tabs: [CorpusTab, CorpusTab]) => Promise<void>;
  }
  const tasks: Task[] = [
    ...pairList.map((pair) => ({
      name: `pair ${pair.slug}`,
      run: (tabs: [CorpusTab, CorpusTab]) => runPair(tabs[0], tabs[1], pair, results, misses),
    })),
    ...pages.map((page) => ({
      name: page.id,
      run: (tabs: [CorpusTab, CorpusTab]) => runPage(tabs[0], page, perPage(page), results, misses),
    })),
  ];
  const total = tasks.length;
  const allTabs: [CorpusTab, CorpusTab][] = [];
  let done = 0;
  try {
    const worker = async (): Promise<void> => {
      const tabs: [CorpusTab, CorpusTab] = [
        await CorpusTab.open(browser, script),
        await CorpusTab.open(browser, script),
      ];
      allTabs.push(tabs);
      for (let task = tasks.shift(); task; task = tasks.shift()) {
        const start = performance.now();
        try {
          await task.run(tabs);
        } catch (error) {
          console.warn(`${task.name} failed: ${String(error).split('\n')[0]}`);
        }
        if (VERBOSE) process.stderr.write(`  ${((performance.now() - start) / 1000).toFixed(1)} s ${task.name}\n`);
        done++;
        if (done % 20 === 0) process.stderr.write(`  ${done}/${total} pages and pairs\n`);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    if (VERBOSE) {
      for (const tabs of allTabs) console.error(await tabs[0].page.evaluate(() => ClicktrailBench.judgeTime));
    }
  } finally {
    await browser.close();
  }
  const markdown = renderMarkdown(results, {
    date: new Date().toISOString().slice(0, 10),
    machine:
      `${os.cpus().length}× ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'} (load average ${loadBefore} at start), ` +
      `Node ${process.version}, Chromium ${browser.version()}`,
    seconds: (performance.now() - started) / 1000,
    perSite: PER_SITE,
    minPerPage: MIN_PER_PAGE,
    perPair: PER_PAIR,
    matcher,
    kinds: KINDS,
  });
  console.log(markdown);
  if (VERBOSE)
    for (const [name, times] of results.times)
      console.error(name, (times.reduce((a, b) => a + b, 0) / 1000).toFixed(1), 's');
  if (!process.argv.includes('--no-write')) fs.writeFileSync(RESULTS_FILE, markdown);
  const details = option('details');
  if (details) fs.writeFileSync(details, JSON.stringify({ perPair: results.perPair, misses }, null, 1));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
