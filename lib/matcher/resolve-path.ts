import type { FrameStep } from '../shared/trigger';
import { isDocument, tagOf } from './dom';
import { queryAll } from './query';

/** Repeated web components can each hold a match; cap the fan-out so a broad host selector stays cheap. */
const MAX_ROOTS = 50;

function frameDocument(host: Element): Document | null {
  const tag = tagOf(host);
  if (tag !== 'iframe' && tag !== 'frame') return null;
  try {
    // Cross-origin frames give null (or throw in some engines): we cannot look inside them.
    const doc = (host as HTMLIFrameElement).contentDocument;
    return isDocument(doc) ? doc : null;
  } catch {
    return null;
  }
}

/**
 * Follows the trigger's path from `root` into open shadow roots and same-origin iframes,
 * outermost first. Returns every root reached (a host selector may match several repeated
 * components), or an empty list when a step leads nowhere.
 */
export function resolvePath(path: readonly FrameStep[], root: Document | ShadowRoot): (Document | ShadowRoot)[] {
  let roots: (Document | ShadowRoot)[] = [root];
  for (const step of path) {
    const next: (Document | ShadowRoot)[] = [];
    for (const current of roots) {
      for (const host of queryAll(current, step.host)) {
        const inner = step.kind === 'shadow' ? host.shadowRoot : frameDocument(host);
        if (inner && !next.includes(inner)) next.push(inner);
        if (next.length >= MAX_ROOTS) break;
      }
    }
    if (next.length === 0) return [];
    roots = next;
  }
  return roots;
}
