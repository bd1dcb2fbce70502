/**
 * `querySelectorAll` that never throws: a stored selector may be invalid (hand-edited, or
 * written for a newer CSS level than the browser running the tracker), and one bad
 * definition must not break the site's click handling.
 */
export function queryAll(root: ParentNode, selector: string): Element[] {
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}

/** Number of elements `selector` matches in `root`, or -1 when the selector is invalid. */
export function countMatches(root: ParentNode, selector: string): number {
  try {
    return root.querySelectorAll(selector).length;
  } catch {
    return -1;
  }
}
