import type { UrlRule } from './trigger';

/** Compiled patterns by source; a broken one is remembered as null so it is never retried. */
const compiled = new Map<string, RegExp | null>();
const MAX_COMPILED = 200;

/**
 * The RegExp for a stored pattern, or null when it does not compile (the tracker must skip, never
 * throw). Cached: the tracker tests the same few rules on every click.
 */
export function cachedPattern(pattern: string, caseInsensitive = false): RegExp | null {
  const key = `${caseInsensitive ? 'i' : '-'}${pattern}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, caseInsensitive ? 'i' : '');
    } catch {
      regex = null;
    }
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, regex);
  }
  return regex;
}

const withoutWww = (host: string) => host.toLowerCase().replace(/^www\./, '');

/** Escapes a string for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Longer URLs are not real pages; refusing them keeps every rule's cost bounded. */
const MAX_URL_LENGTH = 8192;

function stripTrailingSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * The page URL parsed, and without its fragment; the last answer is kept, since a click tests the
 * same address against every candidate definition's rule. Undefined for what is not a URL.
 */
let last: { href: string; page: { url: URL; withoutHash: string } | undefined } | undefined;
function parsed(href: string): { url: URL; withoutHash: string } | undefined {
  if (last?.href === href) return last.page;
  let page: { url: URL; withoutHash: string } | undefined;
  if (typeof href === 'string' && href.length <= MAX_URL_LENGTH) {
    try {
      const url = new URL(href);
      page = { url, withoutHash: `${url.origin}${url.pathname}${url.search}` };
    } catch {
      page = undefined;
    }
  }
  last = { href, page };
  return page;
}

/**
 * Whether a page URL falls under a definition's URL rule:
 * - `any`: every page;
 * - `exact`: the same URL, ignoring the fragment (and a trailing slash of the path);
 * - `path`: the same path on any host, ignoring query and fragment;
 * - `prefix`: the URL (without fragment) starts with the value;
 * - `wildcard`: the value with `*` standing for any run of characters matches the whole URL
 *   without fragment (HubSpot's wildcard targeting);
 * - `regex`: the regular expression is found in the URL without fragment (anchor it with `^`/`$`);
 *   a pattern that does not compile matches nothing;
 * - `site`: every page whose host is the rule's host (`value`; a leading `www.` ignored, the port
 *   must agree when the rule names one).
 */
export function matchesUrlRule(rule: UrlRule, href: string): boolean {
  if (rule.match === 'any') return true;
  const page = parsed(href);
  if (!page) return false;
  const { url, withoutHash } = page;
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
      const pattern = cachedPattern(`^${rule.value.split('*').map(escapeRegExp).join('.*')}$`);
      return pattern?.test(withoutHash) === true || pattern?.test(url.pathname) === true;
    }
    case 'regex':
      return cachedPattern(rule.value)?.test(withoutHash) ?? false;
    case 'site': {
      const [host, port] = rule.value.split(':');
      return withoutWww(url.hostname) === withoutWww(host ?? '') && (port === undefined || url.port === port);
    }
  }
}
