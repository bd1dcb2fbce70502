import { describe, expect, it } from 'vitest';
import { deriveEventName, EVENT_NAME_PATTERN, fullyQualifiedName } from '../../../lib/shared';

describe('deriveEventName', () => {
  it.each([
    ['Add to cart', 'add_to_cart'],
    ['Add to cart: Rain-glaze bowl', 'add_to_cart_rain_glaze_bowl'],
    ['  Signed   up  ', 'signed_up'],
    ['Café crème ordered', 'cafe_creme_ordered'],
    ['2024 pricing page viewed', 'pricing_page_viewed'],
    ['Clicked "Buy now!"', 'clicked_buy_now'],
    ['x'.repeat(80), 'x'.repeat(50)],
    ['a' + '_'.repeat(48) + 'bc', 'a_bc'],
  ])('derives %j -> %j', (label, name) => {
    expect(deriveEventName(label)).toBe(name);
    expect(name).toMatch(EVENT_NAME_PATTERN);
  });

  it.each(['!!!', '🎉', '123', ''])('returns undefined when %j has nothing to derive from', (label) => {
    expect(deriveEventName(label)).toBeUndefined();
  });

  it('never ends a truncated name with an underscore', () => {
    const name = deriveEventName('abcd '.repeat(12));
    expect(name).toBe('abcd_'.repeat(10).slice(0, 49));
  });
});

describe('fullyQualifiedName', () => {
  it('prefixes the portal like HubSpot', () => {
    expect(fullyQualifiedName(123, 'signed_up')).toBe('pe123_signed_up');
  });
});
