import type { TrackingType, Trigger } from '../../lib/shared';

/**
 * The tracking type a definition gets from its trigger when the client does not name one: a click
 * trigger is `CLICKED_ELEMENT`, a page-view trigger `VISITED_URL`, no trigger `MANUAL` (sent through
 * the API). The one rule for creating a definition and for changing its trigger.
 */
export function trackingTypeOf(trigger: Pick<Trigger, 'kind'> | null | undefined): TrackingType {
  if (trigger?.kind === 'click') return 'CLICKED_ELEMENT';
  if (trigger?.kind === 'pageview') return 'VISITED_URL';
  return 'MANUAL';
}
