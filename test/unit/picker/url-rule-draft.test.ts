import { describe, expect, it } from 'vitest';
import { checkUrlRule, initialUrlValue, type UrlMatch } from '../../../lib/picker/url-rule-draft';

const page = new URL('https://shop.example.com/demo/products.html?color=blue');

describe('initialUrlValue', () => {
  it.each<[UrlMatch, string]>([
    ['path', '/demo/products.html'],
    ['exact', 'https://shop.example.com/demo/products.html?color=blue'],
    ['prefix', 'https://shop.example.com/demo/'],
    ['wildcard', '/demo/*'],
    ['regex', '^https://shop\\.example\\.com/demo/products\\.html(\\?|$)'],
    ['site', 'shop.example.com'],
  ])('%s starts from this page and matches it', (match, value) => {
    expect(initialUrlValue(match, page)).toBe(value);
    expect(checkUrlRule(match, value, page.href)).toMatchObject({ matchesPage: true });
  });
});

describe('checkUrlRule', () => {
  it('explains a regex that does not compile, or would backtrack catastrophically', () => {
    expect(checkUrlRule('regex', '/demo/(', page.href).error).toMatch(/^The regular expression does not compile/);
    expect(checkUrlRule('regex', '^(\\w+\\s?)*$', page.href).error).toContain('exponential time');
  });

  it('says when the page is not under the rule, and asks for an empty value', () => {
    expect(checkUrlRule('wildcard', '/shop/*', page.href)).toMatchObject({ matchesPage: false });
    expect(checkUrlRule('prefix', '  ', page.href).error).toBe('Enter the URL rule.');
  });
});
