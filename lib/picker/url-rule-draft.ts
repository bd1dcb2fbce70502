import { t } from '../i18n';
import { matchesUrlRule, urlRuleSchema, type UrlRule } from '../shared';

/** The URL rule kinds the picker offers (`any` is kept for older definitions only). */
export type UrlMatch = Exclude<UrlRule['match'], 'any'>;

/** The kinds in the order the picker offers them (their words: `picker.url.match.<kind>` in locales/). */
export const URL_MATCHES: readonly UrlMatch[] = ['path', 'exact', 'prefix', 'wildcard', 'regex', 'site'];

/** The URL parts a rule is drafted from (a `Location` or a `URL`). */
export interface PageAddress {
  href: string;
  origin: string;
  host: string;
  pathname: string;
  search: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rule's value for this page, as the user starts from it. */
export function initialUrlValue(match: UrlMatch, page: PageAddress): string {
  switch (match) {
    case 'path':
      return page.pathname;
    case 'exact':
      return `${page.origin}${page.pathname}${page.search}`;
    case 'prefix':
      return `${page.origin}${page.pathname.replace(/[^/]*$/, '')}`;
    case 'wildcard':
      return `${page.pathname.replace(/[^/]*$/, '')}*`;
    case 'regex':
      return `^${escapeRegExp(page.origin)}${escapeRegExp(page.pathname)}(\\?|$)`;
    case 'site':
      return page.host;
  }
}

/** A drafted rule checked like the server will check it, and against the current page. */
export type UrlRuleCheck =
  | { rule: UrlRule; error: undefined; matchesPage: boolean }
  | { rule: undefined; error: string; matchesPage?: undefined };

/** Validates the user's draft with the shared schema and checks it against `href`. */
export function checkUrlRule(match: UrlMatch, value: string, href: string): UrlRuleCheck {
  const trimmed = value.trim();
  if (!trimmed) return { rule: undefined, error: t('picker.url.empty') };
  const parsed = urlRuleSchema.safeParse({ match, value: trimmed });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? t('picker.url.invalid');
    return { rule: undefined, error: message.charAt(0).toUpperCase() + message.slice(1) + '.' };
  }
  return { rule: parsed.data, error: undefined, matchesPage: matchesUrlRule(parsed.data, href) };
}
