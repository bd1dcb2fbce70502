import type { Kysely } from 'kysely';
import { matchesUrlRule, type HealthReport } from '../../lib/shared';
import { activeClickTriggers } from '../storage/event-definitions';
import type { Database } from '../storage/schema';
import { recordHealth, type HealthCheck } from '../storage/selector-health';

/** What the server made of a health report: checks counted, and checks left out. */
export interface HealthOutcome {
  accepted: number;
  ignored: number;
}

/**
 * Counts a sampled page view's selector-health report. One page view can report each active click
 * definition of the portal once, and only on a page its URL rule covers (checked on the page's
 * origin — the request's allowed Origin — and path), so a forged report cannot inflate a count
 * beyond what one real page view could: repeated names, unknown, paused or archived definitions
 * and pages outside the URL rule are ignored, not errors the page would see. Reports carry no
 * query string (it may hold personal data), so a rule that requires one (an `exact` URL with a
 * query, a regex on it) cannot be confirmed here and its reports are ignored: health is then
 * unknown for that rule, never wrong.
 */
export async function storeHealthReport(
  db: Kysely<Database>,
  portalId: number,
  origin: string,
  report: HealthReport,
  at: number,
): Promise<HealthOutcome> {
  const triggers = await activeClickTriggers(db, portalId);
  const href = `${origin}${report.path}`;
  const seen = new Set<string>();
  const checks: HealthCheck[] = [];
  for (const check of report.checks) {
    const target = triggers.get(check.eventName);
    if (!target || seen.has(check.eventName) || !matchesUrlRule(target.trigger.url, href)) continue;
    seen.add(check.eventName);
    checks.push({ definitionId: target.id, path: report.path, signal: check.signal });
  }
  await recordHealth(db, checks, at);
  return { accepted: checks.length, ignored: report.checks.length - checks.length };
}
