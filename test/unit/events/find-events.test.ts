import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, findEvents, pageOf, type EventQuery } from '../../../lib/events/find-events';
import type { EventDefinition, Trigger } from '../../../lib/shared';

let created = 0;
function definition(name: string, label: string, extra: Partial<EventDefinition> = {}): EventDefinition {
  created += 1;
  return {
    id: String(created),
    name,
    label,
    labels: { singular: label, plural: null },
    fullyQualifiedName: `pe1_${name}`,
    primaryObject: 'CONTACT',
    trackingType: 'MANUAL',
    trigger: null,
    status: 'ACTIVE',
    archived: false,
    paused: false,
    properties: [],
    version: 1,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, created)).toISOString(),
    updatedAt: new Date(Date.UTC(2025, 0, 1, 0, created)).toISOString(),
    ...extra,
  };
}
const pricingView: Trigger = { kind: 'pageview', url: { match: 'path', value: '/pricing' } };
const events = [
  definition('signed_up', 'Signed up'),
  definition('viewed_pricing', 'Viewed pricing', { trackingType: 'VISITED_URL', trigger: pricingView }),
  definition('buy', 'Buy now', { trackingType: 'CUSTOM_SCRIPT', paused: true, status: 'PAUSED' }),
  definition('old_form', 'Old form', { trackingType: 'IMPORT', archived: true, status: 'ARCHIVED' }),
  definition('added_to_cart', 'Added to cart'),
];
const names = (query: Partial<EventQuery>, page?: string, fired: Record<string, string | null> | null = null) =>
  findEvents(events, { ...DEFAULT_QUERY, ...query }, page, fired).map((found) => found.name);

describe('findEvents', () => {
  it('lists the events not archived, newest first, the ones targeting this page first', () => {
    expect(names({})).toEqual(['added_to_cart', 'buy', 'viewed_pricing', 'signed_up']);
    expect(names({}, 'https://shop.example/pricing?x=1')).toEqual([
      'viewed_pricing',
      'added_to_cart',
      'buy',
      'signed_up',
    ]);
    expect(names({ status: 'active' })).toEqual(['added_to_cart', 'viewed_pricing', 'signed_up']);
  });

  it.each<[string, Partial<EventQuery>, string[]]>([
    ['label, case-insensitively', { search: 'SIGNED' }, ['signed_up']],
    ['internal name', { search: 'added_to' }, ['added_to_cart']],
    ['type', { kind: 'pageview' }, ['viewed_pricing']],
    ['status paused', { status: 'paused' }, ['buy']],
    ['status archived and type import', { status: 'archived', kind: 'import' }, ['old_form']],
    ['every status', { status: 'all', search: 'o' }, ['added_to_cart', 'old_form', 'buy']],
    ['sorted by name', { sort: 'name' }, ['added_to_cart', 'buy', 'signed_up', 'viewed_pricing']],
  ])('finds by %s', (_case, query, expected) => {
    expect(names(query)).toEqual(expected);
  });

  it('keeps only the events that target this page when asked', () => {
    expect(names({ onThisPage: true }, 'https://shop.example/pricing')).toEqual(['viewed_pricing']);
    expect(names({ onThisPage: true }, undefined)).toEqual([]);
  });

  it('keeps the events the user has a form open on, even when they no longer match', () => {
    const open = new Set(['buy']);
    const found = (query: Partial<EventQuery>) =>
      findEvents(events, { ...DEFAULT_QUERY, ...query }, undefined, null, open).map((event) => event.name);
    expect(found({ search: 'signed' })).toEqual(['buy', 'signed_up']);
    expect(found({ kind: 'pageview', status: 'active' })).toEqual(['buy', 'viewed_pricing']);
    expect(names({ search: 'signed' })).toEqual(['signed_up']);
  });

  it('sorts by last fired, never-fired last', () => {
    const fired = {
      pe1_signed_up: '2025-02-02T00:00:00Z',
      pe1_added_to_cart: '2025-01-02T00:00:00Z',
      pe1_viewed_pricing: null,
    };
    expect(names({ sort: 'lastFired' }, undefined, fired)).toEqual([
      'signed_up',
      'added_to_cart',
      'buy',
      'viewed_pricing',
    ]);
  });
});

describe('pageOf', () => {
  const items = Array.from({ length: 120 }, (_, index) => index);
  it('cuts pages of the given size and says how many there are', () => {
    expect(pageOf(items, 0)).toMatchObject({ page: 0, pages: 3 });
    expect(pageOf(items, 2).items).toEqual(items.slice(100));
  });
  it('clamps a page out of range (the list got shorter) and has one page when empty', () => {
    expect(pageOf(items, 9).page).toBe(2);
    expect(pageOf([], 3)).toEqual({ items: [], page: 0, pages: 1 });
  });
});
