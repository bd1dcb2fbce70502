import { describe, expect, it } from 'vitest';
import { healthVerdict } from '../../../lib/health/verdict';
import type { DefinitionHealth } from '../../../lib/shared';

const EARLY = '2026-11-28T10:00:00.000Z';
const LATE = '2026-12-01T10:00:00.000Z';

const path = (p: string, counts: Partial<DefinitionHealth['paths'][number]> = {}) => ({
  path: p,
  pageViews: 10,
  matched: 10,
  viaFallback: 0,
  viaFingerprint: 0,
  lastMatchedAt: LATE,
  lastMissedAt: null,
  ...counts,
});

const health = (paths: DefinitionHealth['paths']): DefinitionHealth => ({
  eventName: 'buy',
  days: 7,
  pageViews: paths.reduce((sum, p) => sum + p.pageViews, 0),
  matched: paths.reduce((sum, p) => sum + p.matched, 0),
  viaFallback: paths.reduce((sum, p) => sum + p.viaFallback, 0),
  viaFingerprint: paths.reduce((sum, p) => sum + p.viaFingerprint, 0),
  lastMatchedAt: null,
  lastMissedAt: null,
  paths,
});

describe('healthVerdict', () => {
  it.each([
    ['no sampled page view yet', [], { level: 'unknown' }],
    ['every page view found it by its selector', [path('/a'), path('/b')], { level: 'ok', pageViews: 20 }],
    [
      'the latest page view of a path missed it (it broke there)',
      [path('/a'), path('/pricing', { matched: 4, lastMatchedAt: EARLY, lastMissedAt: LATE })],
      { level: 'failing', path: '/pricing', pageViews: 10, matched: 4, lastMatchedAt: EARLY },
    ],
    [
      'a path never found it',
      [path('/new', { matched: 0, lastMatchedAt: null, lastMissedAt: LATE })],
      { level: 'failing', path: '/new', pageViews: 10, matched: 0, lastMatchedAt: null },
    ],
    [
      'an old miss followed by matches (fixed since)',
      [path('/a', { matched: 9, lastMissedAt: EARLY, lastMatchedAt: LATE })],
      { level: 'ok', pageViews: 10 },
    ],
    [
      'found only by the fingerprint somewhere',
      [path('/a', { viaFallback: 1 }), path('/b', { viaFallback: 2, viaFingerprint: 2 })],
      { level: 'fallback', path: '/b', via: 'fingerprint' },
    ],
    [
      'found by an alternative selector',
      [path('/a', { viaFallback: 3 })],
      { level: 'fallback', path: '/a', via: 'alternative' },
    ],
  ])('%s', (_case, paths, expected) => {
    expect(healthVerdict(health(paths))).toEqual(expected);
  });
});
