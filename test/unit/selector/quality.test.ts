// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { assessSelector } from '../../../lib/selector';

describe('assessSelector', () => {
  it.each([
    ['[data-testid="add-to-cart"]', 1, 'good', 'test attribute'],
    ['#checkout', 1, 'good', 'stable id'],
    ['input[name="email"]', 1, 'good', 'stable attribute'],
    ['a[href="/p/red-shoe"]', 1, 'good', 'stable attribute'],
    ['li[data-sku="shoe"]', 1, 'good', 'data attribute'],
    ['button.checkout', 1, 'good', 'stable class'],
    ['button[aria-label="Add\\ to\\ cart"]', 1, 'warning', 'depends on text'],
    ['.products > li:nth-of-type(2) > .add-to-cart', 1, 'warning', 'nth-child position'],
    ['ul > li:nth-of-type(2) > button', 1, 'fragile', 'nth-child position'],
    ['#list > li:nth-child(2) > div:nth-child(3)', 1, 'fragile', 'several nth-child positions'],
    [':root > body > main > button', 1, 'fragile', 'generic tag'],
    ['nav', 1, 'warning', 'generic tag'],
    ['.btn', 4, 'fragile', 'matches 4 elements'],
    ['.gone', 0, 'fragile', 'matches nothing'],
    ['a.b > a.c > a.d > a.e > a.f', 1, 'warning', 'long chain'],
  ] as const)('judges %s (%i matches) %s because of %s', (selector, matchCount, quality, reason) => {
    const verdict = assessSelector(selector, { matchCount });
    expect(verdict.quality).toBe(quality);
    expect(verdict.reasons).toContain(reason);
  });

  it('does not read dots and hashes inside attribute values as classes or ids', () => {
    const verdict = assessSelector('a[href="/a.b#c"]', { matchCount: 1 });
    expect(verdict.reasons).not.toContain('stable class');
    expect(verdict.reasons).not.toContain('stable id');
  });

  it('accepts several matches in similar mode', () => {
    expect(assessSelector('button.add-to-cart', { mode: 'similar', matchCount: 3 }).quality).toBe('good');
  });
});
