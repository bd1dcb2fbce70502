import { describe, expect, it } from 'vitest';
import { matchesUrlRule, regexPatternProblem, urlRuleSchema, type UrlRule } from '../../../lib/shared';

const PAGE = 'https://shop.example.com/products/mugs/?color=blue#reviews';

describe('matchesUrlRule', () => {
  it.each<[string, UrlRule, string, boolean]>([
    ['any matches everything', { match: 'any' }, PAGE, true],
    [
      'exact ignores the fragment',
      { match: 'exact', value: 'https://shop.example.com/products/mugs/?color=blue' },
      PAGE,
      true,
    ],
    [
      'exact ignores a trailing slash',
      { match: 'exact', value: 'https://shop.example.com/products/mugs?color=blue' },
      PAGE,
      true,
    ],
    ['exact needs the same query', { match: 'exact', value: 'https://shop.example.com/products/mugs/' }, PAGE, false],
    [
      'exact needs the same host',
      { match: 'exact', value: 'https://other.example.com/products/mugs/?color=blue' },
      PAGE,
      false,
    ],
    ['path ignores host, query and fragment', { match: 'path', value: '/products/mugs' }, PAGE, true],
    ['path is not a prefix', { match: 'path', value: '/products' }, PAGE, false],
    ['prefix', { match: 'prefix', value: 'https://shop.example.com/products/' }, PAGE, true],
    ['prefix on another host', { match: 'prefix', value: 'https://other.example.com/' }, PAGE, false],
    ['wildcard over the URL', { match: 'wildcard', value: 'https://shop.example.com/products/*' }, PAGE, true],
    [
      'wildcard over the path',
      { match: 'wildcard', value: '/products/*/' },
      'https://shop.example.com/products/mugs/',
      true,
    ],
    ['wildcard must match all', { match: 'wildcard', value: '/products' }, PAGE, false],
    [
      'wildcard treats regex characters literally',
      { match: 'wildcard', value: '/a.c' },
      'https://x.example/abc',
      false,
    ],
    ['a broken page URL matches nothing', { match: 'path', value: '/' }, 'not a url', false],
    ['regex is searched in the URL', { match: 'regex', value: '/products/[a-z]+/$' }, PAGE, false],
    ['regex sees the query', { match: 'regex', value: '/products/[a-z]+/\\?color=' }, PAGE, true],
    ['regex ignores the fragment', { match: 'regex', value: 'reviews' }, PAGE, false],
    ['regex anchored at the start', { match: 'regex', value: '^https://shop\\.example\\.com/' }, PAGE, true],
    ['a regex that does not compile matches nothing', { match: 'regex', value: '(' }, PAGE, false],
    ['site: every page of the host', { match: 'site', value: 'shop.example.com' }, PAGE, true],
    ['site ignores www.', { match: 'site', value: 'www.shop.example.com' }, PAGE, true],
    ['site is host-scoped, not any host', { match: 'site', value: 'other.example.com' }, PAGE, false],
    ['site is not a suffix match', { match: 'site', value: 'example.com' }, PAGE, false],
    ['site with a port needs that port', { match: 'site', value: '127.0.0.1:8787' }, 'http://127.0.0.1:9999/x', false],
    ['site with its port', { match: 'site', value: '127.0.0.1:8787' }, 'http://127.0.0.1:8787/demo/', true],
  ])('%s', (_case, rule, href, expected) => {
    expect(matchesUrlRule(rule, href)).toBe(expected);
  });
});

describe('urlRuleSchema', () => {
  it.each([
    ['(', 'does not compile'],
    ['(a+)+$', 'exponential time'],
    ['(.*a){12}', 'exponential time'],
    ['x'.repeat(301), 'at most 300'],
    ['a?'.repeat(26), 'more than 25 repetitions'],
  ])('refuses the regex %s and says why', (value, message) => {
    const result = urlRuleSchema.safeParse({ match: 'regex', value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
    expect(result.error?.issues[0]?.path).toEqual(['value']);
  });

  it.each(['^/products/\\d+$', '/demo/(products|cart)\\.html', '[?&]utm_source=news'])('accepts %s', (value) => {
    expect(urlRuleSchema.safeParse({ match: 'regex', value }).success).toBe(true);
  });

  it('refuses a site rule that is not a host name', () => {
    const result = urlRuleSchema.safeParse({ match: 'site', value: 'https://shop.example.com/' });
    expect(result.error?.issues[0]?.message).toContain('host name');
  });
});

describe('regexPatternProblem', () => {
  it("explains a regex that does not compile with the engine's reason", () => {
    expect(regexPatternProblem('[a-')).toMatch(/^the regular expression does not compile: .+/);
  });
  it('accepts a safe pattern', () => {
    expect(regexPatternProblem('^/shop/.*$')).toBeUndefined();
  });
});
