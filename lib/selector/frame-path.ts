import type { FrameStep } from '../shared/trigger';
import { isDocument, isShadowRoot } from '../matcher';

/** The schema allows ten steps; deeper nesting cannot be stored. */
const MAX_STEPS = 10;

/** Where an element lives: its own root, and how to get there from the top document. */
export interface ElementLocation {
  root: Document | ShadowRoot;
  path: FrameStep[];
}

function frameElementOf(doc: Document): Element | null {
  const win = doc.defaultView;
  if (!win) return null;
  try {
    if (win.frameElement) return win.frameElement;
  } catch {
    // Cross-origin parent: the frame is not ours to describe.
    return null;
  }
  // Some DOM implementations (happy-dom) lack frameElement; find our frame in the parent instead.
  try {
    const parent = win.parent;
    if (!parent || parent === win) return null;
    for (const frame of Array.from(parent.document.querySelectorAll('iframe, frame'))) {
      if ((frame as HTMLIFrameElement).contentDocument === doc) return frame;
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Finds the element's root and the chain of shadow hosts and same-origin iframes above it,
 * outermost first, each host described by `hostSelector` within its own root. Returns
 * undefined for detached elements or when a host cannot be described.
 */
export function locateElement(
  target: Element,
  hostSelector: (host: Element, root: Document | ShadowRoot) => string | undefined,
): ElementLocation | undefined {
  const root = target.getRootNode();
  if (!isDocument(root) && !isShadowRoot(root)) return undefined;
  const path: FrameStep[] = [];
  let current: Document | ShadowRoot = root;
  for (;;) {
    const host: Element | null = isShadowRoot(current) ? current.host : frameElementOf(current);
    if (!host) break;
    if (path.length >= MAX_STEPS) return undefined;
    const hostRoot = host.getRootNode();
    if (!isDocument(hostRoot) && !isShadowRoot(hostRoot)) return undefined;
    const selector = hostSelector(host, hostRoot);
    if (!selector) return undefined;
    path.unshift({ kind: isShadowRoot(current) ? 'shadow' : 'iframe', host: selector });
    current = hostRoot;
  }
  return { root, path };
}
