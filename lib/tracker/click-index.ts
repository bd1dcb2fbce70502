import { hrefPath, isElement, linkTargetKey, sameKind, tagOf } from '../matcher';
import type { TrackerConfig } from '../shared/tracker-config';

type Definition = TrackerConfig['definitions'][number];

const file = (map: Map<string, number[]>, key: string, index: number) => {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
};

/**
 * The click definitions a click could fire, found without scoring every definition against the
 * click. `findMatches` only ever returns elements of the recorded kind (`couldMatch`), so every
 * click definition is filed by its recorded tag and is a candidate only when the click's path
 * holds an element of that kind. A unique-mode trigger that recorded a link target can moreover
 * only fire for a link to the same page (`couldBeMatch` rejects an element whose target differs),
 * so such definitions are filed by `linkTargetKey` instead: a clicked link looks up its own key,
 * and an element of their kind without a usable `href` (where the target cannot contradict) gets
 * all of that kind. With 100 link and button definitions, a click on one link is offered only
 * the definitions for its target and the similar-mode links, not the buttons.
 */
export function clickIndex(definitions: readonly Definition[]): (path: readonly EventTarget[]) => Definition[] {
  const byTarget = new Map<string, number[]>();
  /** Link-target definitions by recorded tag (for elements of their kind without a usable href). */
  const targetsByTag = new Map<string, number[]>();
  /** Every other click definition, by recorded tag. */
  const byTag = new Map<string, number[]>();
  definitions.forEach((definition, index) => {
    const trigger = definition.trigger;
    if (trigger.kind !== 'click') return;
    const { tag, href } = trigger.element.fingerprint;
    if (trigger.element.mode === 'similar' || href === undefined) file(byTag, tag, index);
    else {
      file(byTarget, linkTargetKey(href), index);
      file(targetsByTag, tag, index);
    }
  });
  return (path) => {
    const chosen = new Set<number>();
    const add = (indexes: readonly number[] | undefined) => {
      if (indexes) for (const index of indexes) chosen.add(index);
    };
    for (const target of path) {
      if (!isElement(target)) continue;
      const tag = tagOf(target);
      for (const [recorded, indexes] of byTag) if (sameKind(recorded, tag)) add(indexes);
      if (byTarget.size === 0) continue;
      const href = hrefPath(target);
      if (href !== undefined) add(byTarget.get(linkTargetKey(href)));
      else for (const [recorded, indexes] of targetsByTag) if (sameKind(recorded, tag)) add(indexes);
    }
    // In the definitions' own order: completions are sent in the order the tracker always used.
    return [...chosen].sort((a, b) => a - b).map((index) => definitions[index]!);
  };
}
