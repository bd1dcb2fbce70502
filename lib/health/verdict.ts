import type { DefinitionHealth } from '../shared';

/** What the side panel says about a click event's selector health, worst news first. */
export type HealthVerdict =
  | { level: 'unknown' }
  | { level: 'ok'; pageViews: number }
  /** The latest sampled page view of `path` found nothing. */
  | { level: 'failing'; path: string; pageViews: number; matched: number; lastMatchedAt: string | null }
  /** Found, but not by its main selector: by an alternative, or by the fingerprint alone. */
  | { level: 'fallback'; path: string; via: 'alternative' | 'fingerprint' };

const time = (iso: string | null) => (iso === null ? 0 : Date.parse(iso));

/**
 * Reads a definition's health into one verdict: a path whose latest sampled page view missed the
 * element (the busiest such path) is worse than elements found only through a fallback, which is
 * worse than all found by the main selector. No sampled page view yet: unknown.
 */
export function healthVerdict(health: DefinitionHealth): HealthVerdict {
  if (health.pageViews === 0) return { level: 'unknown' };
  // `paths` comes busiest first.
  const failing = health.paths.find((p) => p.pageViews > p.matched && time(p.lastMissedAt) > time(p.lastMatchedAt));
  if (failing) {
    return {
      level: 'failing',
      path: failing.path,
      pageViews: failing.pageViews,
      matched: failing.matched,
      lastMatchedAt: failing.lastMatchedAt,
    };
  }
  const fingerprint = health.paths.find((p) => p.viaFingerprint > 0);
  if (fingerprint) return { level: 'fallback', path: fingerprint.path, via: 'fingerprint' };
  const alternative = health.paths.find((p) => p.viaFallback > 0);
  if (alternative) return { level: 'fallback', path: alternative.path, via: 'alternative' };
  return { level: 'ok', pageViews: health.pageViews };
}
