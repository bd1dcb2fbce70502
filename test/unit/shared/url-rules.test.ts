import { describe, expect, it } from 'vitest';
import { matchesUrlRule, type UrlRule } from '../../../lib/shared';

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
  ])('%s', (_case, rule, href, expected) => {
    expect(matchesUrlRule(rule, href)).toBe(expected);
  });
});
