import type { UrlRule } from './trigger';

/** Escapes a string for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function stripTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * Whether a page URL falls under a definition's URL rule:
 * - `any`: every page;
 * - `exact`: the same URL, ignoring the fragment (and a trailing slash of the path);
 * - `path`: the same path on any host, ignoring query and fragment;
 * - `prefix`: the URL (without fragment) starts with the value;
 * - `wildcard`: the value with `*` standing for any run of characters matches the whole URL
 *   without fragment (HubSpot's wildcard targeting).
 */
export function matchesUrlRule(rule: UrlRule, href: string): boolean {
  if (rule.match === 'any') return true;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  const withoutHash = `${url.origin}${url.pathname}${url.search}`;
  switch (rule.match) {
    case 'exact': {
      let expected: URL;
      try {
        expected = new URL(rule.value);
      } catch {
        return false;
      }
      return (
        expected.origin === url.origin &&
        stripTrailingSlash(expected.pathname) === stripTrailingSlash(url.pathname) &&
        expected.search === url.search
      );
    }
    case 'path':
      return stripTrailingSlash(rule.value) === stripTrailingSlash(url.pathname);
    case 'prefix':
      return withoutHash.startsWith(rule.value);
    case 'wildcard': {
      const pattern = new RegExp(`^${rule.value.split('*').map(escapeRegExp).join('.*')}$`);
      return pattern.test(withoutHash) || pattern.test(url.pathname);
    }
  }
}
