import { hrefPath, isElement, linkTargetKey, sameKind, tagOf } from '../matcher';
import type { TrackerConfig } from '../shared/tracker-config';

type Definition = TrackerConfig['definitions'][number];

/**
 * The click definitions a click could fire, found without scoring every definition against the
 * click. A unique-mode trigger that recorded a link target can only fire for a link to the same
 * page (`couldBeMatch` rejects an element whose target differs), so such definitions are filed by
 * `linkTargetKey`; a clicked link looks up its own key, and an element of their kind without a
 * usable `href` (where the target cannot contradict) gets all of that kind. Every other click
 * definition is always a candidate. With 100 link definitions, a click on a link scores only the
 * ones for its target.
 */
export function clickIndex(definitions: readonly Definition[]): (path: readonly EventTarget[]) => Definition[] {
  const byTarget = new Map<string, number[]>();
  const byTag = new Map<string, number[]>();
  const always: number[] = [];
  definitions.forEach((definition, index) => {
    const trigger = definition.trigger;
    if (trigger.kind !== 'click') return;
    const href = trigger.element.fingerprint.href;
    if (trigger.element.mode === 'similar' || href === undefined) {
      always.push(index);
      return;
    }
    const key = linkTargetKey(href);
    byTarget.set(key, [...(byTarget.get(key) ?? []), index]);
    const tag = trigger.element.fingerprint.tag;
    byTag.set(tag, [...(byTag.get(tag) ?? []), index]);
  });
  return (path) => {
    if (byTarget.size === 0) return always.map((index) => definitions[index]!);
    const chosen = new Set(always);
    for (const target of path) {
      if (!isElement(target)) continue;
      const href = hrefPath(target);
      if (href !== undefined) {
        for (const index of byTarget.get(linkTargetKey(href)) ?? []) chosen.add(index);
        continue;
      }
      const tag = tagOf(target);
      for (const [recorded, indexes] of byTag)
        if (sameKind(recorded, tag)) for (const index of indexes) chosen.add(index);
    }
    // In the definitions' own order: completions are sent in the order the tracker always used.
    return [...chosen].sort((a, b) => a - b).map((index) => definitions[index]!);
  };
}
