// @vitest-environment happy-dom
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTriggerHealth, findMatches, MatchWork, OUT_OF_TIME } from '../../../lib/matcher';
import type { ClickTrigger, ElementTrigger } from '../../../lib/shared/trigger';
import { describeElement } from '../../../lib/selector';
import { useBrowserLikeAttr } from '../selector/fixtures';

beforeAll(useBrowserLikeAttr);

const PAIR = path.resolve(import.meta.dirname, '../../../../shared/corpus/pairs/pagesix.com');
const SKIP_CORPUS = process.env.CLICKTRAIL_SKIP_CORPUS === '1';

function parse(file: string): Document {
  const html = fs
    .readFileSync(file, 'utf8')
    .replace(/<iframe\b[\s\S]*?<\/iframe\s*>/gi, '')
    .replace(/<link\b[^>]*>/gi, '')
    .replace(/<base\b[^>]*>/gi, '');
  return new DOMParser().parseFromString(html, 'text/html');
}

/**
 * Runs `step` with a work whose clock allows exactly one new unit of work per attempt, resuming
 * after every `OUT_OF_TIME` as the tracker's health check does across idle slices.
 */
function oneUnitAtATime<T>(step: (work: MatchWork) => T): { result: T; attempts: number } {
  let clock = 0;
  const work = new MatchWork(() => clock++);
  for (let attempts = 1; attempts < 100_000; attempts++) {
    work.deadline = clock;
    try {
      return { result: step(work), attempts };
    } catch (error) {
      if (error !== OUT_OF_TIME) throw error;
    }
  }
  throw new Error('never finished');
}

describe.skipIf(SKIP_CORPUS)('findMatches with a MatchWork (interrupted and resumed)', () => {
  it('gives exactly the uninterrupted result and signal, for found and broken triggers of a real page pair', () => {
    const oldDoc = parse(path.join(PAIR, 'old.html'));
    const newDoc = parse(path.join(PAIR, 'new.html'));
    const picked = Array.from(oldDoc.querySelectorAll('a[href], button, h2, h3')).filter((_, i) => i % 7 === 0);
    expect(picked.length).toBeGreaterThan(20);
    let resumed = 0;
    const outcomes = new Set<string>();
    for (const el of picked.slice(0, 40)) {
      const element = JSON.parse(JSON.stringify(describeElement(el))) as ElementTrigger;
      const trigger: ClickTrigger = { kind: 'click', url: { match: 'any' }, element };
      const expected = findMatches(element, newDoc);
      const { result, attempts } = oneUnitAtATime((work) => findMatches(element, newDoc, work));
      expect(result).toEqual(expected);
      const signal = checkTriggerHealth(trigger, newDoc, 'https://pagesix.com/', undefined);
      const again = oneUnitAtATime((work) =>
        checkTriggerHealth(trigger, newDoc, 'https://pagesix.com/', undefined, work),
      );
      expect(again.result).toBe(signal);
      outcomes.add(String(signal));
      if (attempts > 1) resumed++;
    }
    expect(resumed).toBeGreaterThan(10); // most checks really were spread over several attempts
    expect(outcomes.has('none')).toBe(true); // including the expensive case: nothing found
    expect(outcomes.has('selector')).toBe(true);
  }, 60_000);

  it('throws OUT_OF_TIME instead of answering when the deadline passed before any work', () => {
    const doc = new DOMParser().parseFromString('<button id="buy">Buy</button>', 'text/html');
    const element = describeElement(doc.getElementById('buy')!);
    const work = new MatchWork(() => 10);
    work.deadline = 5;
    expect(() => findMatches(element, doc, work)).toThrow();
    work.deadline = Infinity;
    expect(findMatches(element, doc, work)).toEqual([doc.getElementById('buy')]);
  });
});
