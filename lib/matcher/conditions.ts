import type { ClickConditions, TextCondition } from '../shared/trigger';
import { cachedPattern } from '../shared/url-rules';
import { elementText } from './text';

/** Whether `text` satisfies one condition; a regex that does not compile satisfies nothing. */
export function testCondition(condition: TextCondition, text: string): boolean {
  const fold = condition.caseInsensitive === true;
  switch (condition.operator) {
    case 'exact':
      return fold ? text.toLowerCase() === condition.value.toLowerCase() : text === condition.value;
    case 'contains':
      return fold ? text.toLowerCase().includes(condition.value.toLowerCase()) : text.includes(condition.value);
    case 'regex':
      return cachedPattern(condition.value, fold)?.test(text) ?? false;
    default:
      return false;
  }
}

/**
 * The link target a condition on `href` looks at: the element's own `href`, else the link
 * around it, both as written in the page and resolved to an absolute URL.
 */
export function linkTargets(el: Element): string[] {
  const link = el.hasAttribute('href') ? el : el.closest('a[href], area[href]');
  const raw = link?.getAttribute('href');
  if (raw === null || raw === undefined) return [];
  try {
    const absolute = new URL(raw, link!.baseURI).href;
    return absolute === raw ? [raw] : [raw, absolute];
  } catch {
    return [raw];
  }
}

/** Whether an element passes the trigger's optional text and `href` conditions. */
export function matchesConditions(el: Element, conditions: ClickConditions | undefined): boolean {
  if (!conditions) return true;
  if (conditions.text && !testCondition(conditions.text, elementText(el) ?? '')) return false;
  if (conditions.href) {
    const condition = conditions.href;
    if (!linkTargets(el).some((target) => testCondition(condition, target))) return false;
  }
  return true;
}
