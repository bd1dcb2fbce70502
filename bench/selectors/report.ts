import type { ElementResult, Outcomes } from './page/harness';
import {
  CSS_SELECTOR_GENERATOR_BOUNDS,
  FINDER_BOUNDS,
  FINDER_WATCHDOG_MS,
  type GeneratorName,
} from './page/generators';
import { WORK_BUDGET } from '../../lib/selector';
import type { MutationKind } from '../../lib/redeploys/mutations';

export const GENERATOR_LABELS: Record<GeneratorName, string> = {
  clicktrail: 'Clicktrail (describeElement + findMatches)',
  'clicktrail-selector': 'Clicktrail primary selector alone',
  'css-selector-generator': `css-selector-generator (≤ ${CSS_SELECTOR_GENERATOR_BOUNDS.maxCombinations} combinations and candidates)`,
  finder: `@medv/finder (≤ ${FINDER_BOUNDS.maxNumberOfPathChecks} path checks)`,
  devtools: 'DevTools-style path',
};

/** found / wrong / lost counts. */
export class Tally {
  found = 0;
  wrong = 0;
  lost = 0;

  add(outcome: 'found' | 'wrong' | 'lost'): void {
    this[outcome]++;
  }

  get total(): number {
    return this.found + this.wrong + this.lost;
  }

  rate(what: 'found' | 'wrong' | 'lost'): number {
    return this.total === 0 ? 0 : this[what] / this.total;
  }
}

/** Everything one run measured, keyed by generator. */
export class Results {
  readonly generators: readonly GeneratorName[];
  pages = 0;
  sites = 0;
  hashedPages: string[] = [];
  elements = 0;
  pairs = 0;
  pairElements = 0;
  readonly unique = new Map<GeneratorName, Tally>();
  readonly pairTallies = new Map<GeneratorName, Tally>();
  readonly synthetic = new Map<string, Tally>();
  readonly times = new Map<GeneratorName, number[]>();
  /** Work units of each Clicktrail generation. */
  readonly units: number[] = [];
  readonly lengths = new Map<GeneratorName, number[]>();
  readonly noSelector = new Map<GeneratorName, number>();
  /** Duration of every `findMatches` call judged (real pairs and synthetic redeploys). */
  readonly matchTimes: number[] = [];
  /** Per pair and generator, for the details file. */
  readonly perPair: Record<string, Record<string, Tally>> = {};

  constructor(generators: readonly GeneratorName[]) {
    this.generators = generators;
    for (const name of generators) {
      this.unique.set(name, new Tally());
      this.pairTallies.set(name, new Tally());
      this.times.set(name, []);
      this.lengths.set(name, []);
      this.noSelector.set(name, 0);
    }
  }

  addGenerated(results: readonly ElementResult[], countUnique: boolean): void {
    for (const result of results) {
      if (countUnique) this.elements++;
      for (const name of this.generators) {
        const generated = result.generated[name];
        if (name !== 'clicktrail-selector') this.times.get(name)!.push(generated.ms);
        if (name === 'clicktrail' && generated.units !== undefined) this.units.push(generated.units);
        if (generated.selector) this.lengths.get(name)!.push(generated.selector.length);
        else this.noSelector.set(name, this.noSelector.get(name)! + 1);
        if (countUnique) this.unique.get(name)!.add(result.unique[name] ? 'found' : 'lost');
      }
    }
  }

  addPair(slug: string, outcomes: readonly Outcomes[]): void {
    this.pairs++;
    this.pairElements += outcomes.length;
    const perPair = (this.perPair[slug] = {} as Record<string, Tally>);
    for (const outcome of outcomes) {
      for (const name of this.generators) {
        this.pairTallies.get(name)!.add(outcome[name]);
        (perPair[name] ??= new Tally()).add(outcome[name]);
      }
    }
  }

  syntheticTally(kind: MutationKind, hashed: boolean, name: GeneratorName): Tally {
    const key = `${kind}|${hashed ? 'hashed' : 'all'}|${name}`;
    let tally = this.synthetic.get(key);
    if (!tally) this.synthetic.set(key, (tally = new Tally()));
    return tally;
  }

  addSynthetic(kind: MutationKind, hashedPage: boolean, outcomes: readonly Outcomes[]): void {
    for (const outcome of outcomes) {
      for (const name of this.generators) {
        this.syntheticTally(kind, false, name).add(outcome[name]);
        if (hashedPage) this.syntheticTally(kind, true, name).add(outcome[name]);
      }
    }
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const pct = (value: number): string => `${(value * 100).toFixed(1)}%`;
const ms = (value: number): string => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(0));

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface RunInfo {
  date: string;
  machine: string;
  seconds: number;
  perSite: number;
  minPerPage: number;
  perPair: number;
  matcher: { minified: number; gzipped: number };
  kinds: readonly MutationKind[];
}

/** Issue 4's targets for Clicktrail, each with the measured value and whether it holds. */
function targets(results: Results): string {
  const unique = results.unique.get('clicktrail')!.rate('found');
  const pair = results.pairTallies.get('clicktrail')!;
  const hashed = results.syntheticTally('combined', true, 'clicktrail').rate('found');
  const times = results.times.get('clicktrail')!;
  const rows: [string, string, boolean][] = [
    ['unique in `unique` mode = 100%', pct(unique), unique === 1],
    ['real pairs: survival ≥ 80%', pct(pair.rate('found')), pair.rate('found') >= 0.8],
    ['real pairs: wrong ≤ 1%', pct(pair.rate('wrong')), pair.rate('wrong') <= 0.01],
    ['hashed pages, combined redeploy: survival ≥ 85%', pct(hashed), hashed >= 0.85],
    ['generation p95 ≤ 10 ms', `${ms(percentile(times, 95))} ms`, percentile(times, 95) <= 10],
    ['generation max ≤ 100 ms', `${ms(percentile(times, 100))} ms`, percentile(times, 100) <= 100],
  ];
  return table(
    ['Clicktrail target (issue 4)', 'measured', 'met'],
    rows.map(([name, value, met]) => [name, value, met ? 'yes' : '**no**']),
  );
}

/**
 * Synthetic redeploys that change only what Clicktrail's generator leaves out by construction:
 * state classes (`isStateClass`) and volatile attributes (style, `data-v-*`, ARIA state, tabindex,
 * bookkeeping `data-*`; `isStableDataAttribute`), in selectors and fingerprint alike. They cannot
 * make Clicktrail fail, so a Clicktrail column for them would be no evidence; they are reported
 * as controls for the baselines only (and still run inside `combined`).
 */
export const CONTROL_KINDS: readonly MutationKind[] = ['state', 'attributes'];

/** The markdown report: a summary row per generator, then survival per synthetic redeploy. */
export function renderMarkdown(results: Results, info: RunInfo): string {
  const gens = results.generators;
  const summary = table(
    [
      'generator',
      'unique on page',
      'real pairs: survival',
      'real pairs: wrong',
      'synthetic combined: survival',
      'wrong',
      'hashed pages combined: survival',
      'wrong',
      'selector length p50',
      'generation ms p50 / p95 / max',
    ],
    gens.map((name) => {
      const unique = results.unique.get(name)!;
      const pair = results.pairTallies.get(name)!;
      const combined = results.syntheticTally('combined', false, name);
      const hashed = results.syntheticTally('combined', true, name);
      const times = results.times.get(name)!;
      const timing =
        name === 'clicktrail-selector'
          ? '(same call)'
          : `${ms(percentile(times, 50))} / ${ms(percentile(times, 95))} / ${ms(percentile(times, 100))}`;
      return [
        GENERATOR_LABELS[name],
        pct(unique.rate('found')),
        pct(pair.rate('found')),
        pct(pair.rate('wrong')),
        pct(combined.rate('found')),
        pct(combined.rate('wrong')),
        pct(hashed.rate('found')),
        pct(hashed.rate('wrong')),
        String(percentile(results.lengths.get(name)!, 50)),
        timing,
      ];
    }),
  );
  const tested = info.kinds.filter((kind) => !CONTROL_KINDS.includes(kind));
  const controls = info.kinds.filter((kind) => CONTROL_KINDS.includes(kind));
  const perKind = (hashed: boolean, kinds: readonly MutationKind[], rows: readonly GeneratorName[]) =>
    table(
      ['generator', ...kinds.map(String)],
      rows.map((name) => [
        GENERATOR_LABELS[name],
        ...kinds.map((kind) => {
          const tally = results.syntheticTally(kind, hashed, name);
          return `${pct(tally.rate('found'))} / ${pct(tally.rate('wrong'))}`;
        }),
      ]),
    );
  const time = (name: GeneratorName, p: number) => percentile(results.times.get(name)!, p);
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');
  const baselines = gens.filter((name) => !name.startsWith('clicktrail'));
  const ratios = baselines
    .map(
      (name) =>
        `- ${GENERATOR_LABELS[name]}: generation p50 ${ratio(time('clicktrail', 50), time(name, 50))} of its time, ` +
        `max ${ratio(time('clicktrail', 100), time(name, 100))}; real-pair survival ` +
        `${ratio(results.pairTallies.get('clicktrail')!.rate('found'), results.pairTallies.get(name)!.rate('found'))}; ` +
        `${results.noSelector.get(name)} elements without a selector (error)`,
    )
    .join('\n');
  const pairs = results.pairTallies.get('clicktrail')!;
  // A survival ratio over few real changes says little: print how few, next to the ratios.
  const pairCaveat =
    `Caveat on the real-pair ratios: they rest on ${pairs.total} elements of the corpus's real old→new page pairs ` +
    `(${pairs.found} found, ${pairs.lost} lost, ${pairs.wrong} wrong for Clicktrail), a small sample of what real ` +
    `sites change; one element more or less moves a ratio by about ${pairs.total > 0 ? pct(1 / pairs.total) : '–'}. ` +
    `The synthetic columns are larger but only as good as the redeploys they model.`;
  return `# Selector benchmark (\`npm run bench:selectors\`)

Run ${info.date} on ${info.machine}; ${info.seconds.toFixed(0)} s wall clock. Real headless Chromium, each
captured page served at its URL with its own scripts disabled (CSP \`default-src 'none'\`) and every
other request aborted.

- **Pages**: ${results.pages} distinct captures of ${results.sites} sites from \`../shared/corpus\` (readability
  minus its tiny synthetic pages, postlight, and the old side of every pair); trackable elements (links,
  buttons, headings, images) sampled with a seeded PRNG, up to ${info.perSite} per site spread over its pages
  (at least ${info.minPerPage} per page): **${results.elements} elements**.
  ${results.hashedPages.length} pages carry generated (hashed) class names.
- **Real pairs**: ${results.pairs} old→new captures of the same URL, years apart; the same element is
  recognised by content (link href path + text, heading text, button label, image file name), keeping
  only elements unique by that content on both captures, up to ${info.perPair} per pair:
  **${results.pairElements} elements**.
  The pair set holds only elements whose identifying content survived the redesign (that is how
  they are recognised), so it measures re-finding an element that still exists; Clicktrail's
  fingerprint uses that kind of content, the baselines' selectors do not.
- Survival = finds exactly that element; **wrong** = finds exactly one other element, or several.
  Baselines "find" with \`querySelectorAll(selector)\`, Clicktrail with \`findMatches(trigger, document)\`.
  The "primary selector alone" row is Clicktrail's stored selector through \`querySelectorAll\`, to show
  what the matcher adds.
- Synthetic redeploys are seeded and applied to the DOM in the page, each separately and combined:
  rehashed generated classes, renumbered ids, inserted siblings, wrapper divs, state classes and
  attribute churn (see \`lib/redeploys/mutations.ts\`). State classes and attribute churn change only
  what Clicktrail leaves out of selectors and fingerprints by construction, so they cannot show a
  Clicktrail failure: they are listed apart, as controls for the baselines (\`combined\` includes them).
- Every generator is bounded by work through its own options, never by time, so the selectors do not
  depend on the machine: Clicktrail by its budget of ${WORK_BUDGET.toLocaleString('en')} work units (elements looked at by
  selector queries; p50 ${percentile(results.units, 50)}, p95 ${percentile(results.units, 95)}, max ${percentile(results.units, 100)} spent per element
  here), css-selector-generator by \`maxCombinations\` and \`maxCandidates\` ${CSS_SELECTOR_GENERATOR_BOUNDS.maxCandidates}, finder by
  \`maxNumberOfPathChecks\` ${FINDER_BOUNDS.maxNumberOfPathChecks} (its 1000 ms default timeout raised to ${FINDER_WATCHDOG_MS / 1000} s as a watchdog that a max
  below that shows never fired). Each is timed the same way: \`performance.now()\` around the call alone.
- Timings on a shared, noisy machine: compare medians and ratios, not absolute numbers.
- \`findMatches\` per call (${results.matchTimes.length} calls on changed pages): p50 ${ms(percentile(results.matchTimes, 50))} ms,
  p95 ${ms(percentile(results.matchTimes, 95))} ms, max ${ms(percentile(results.matchTimes, 100))} ms.
- \`lib/matcher\` as shipped in the tracker: ${(info.matcher.minified / 1024).toFixed(1)} KB minified,
  **${(info.matcher.gzipped / 1024).toFixed(1)} KB minified+gzipped**.

## Summary

${summary}

${targets(results)}

## Synthetic redeploys, all pages (survival / wrong)

${perKind(false, tested, gens)}

## Synthetic redeploys, pages with hashed classes (survival / wrong)

${perKind(true, tested, gens)}

## Controls: changes Clicktrail ignores by construction (baselines only; survival / wrong)

${perKind(false, controls, baselines)}

## Ratios (Clicktrail to each baseline)

${pairCaveat}

${ratios}
`;
}
