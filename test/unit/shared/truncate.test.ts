import { describe, expect, it } from 'vitest';
import { truncateProperties } from '../../../lib/shared';

describe('truncateProperties', () => {
  it('keeps valid properties and turns numbers and booleans into strings', () => {
    expect(truncateProperties({ plan: 'pro', seats: 3, trial: false })).toEqual({
      properties: { plan: 'pro', seats: '3', trial: 'false' },
      dropped: [],
    });
  });

  it('cuts names to 50 and values to 256 characters, url and referrer to 1024', () => {
    const { properties } = truncateProperties({
      ['a'.repeat(60)]: 'x',
      note: 'y'.repeat(300),
      url: 'u'.repeat(2000),
      hs_referrer: 'r'.repeat(2000),
    });
    expect(Object.keys(properties)).toContain('a'.repeat(50));
    expect(properties.note).toHaveLength(256);
    expect(properties.url).toHaveLength(1024);
    expect(properties.hs_referrer).toHaveLength(1024);
  });

  it('keeps only 50 properties, the first 50 in sorted key order', () => {
    const input = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`p${String(i).padStart(2, '0')}`, 'v']));
    const { properties, dropped } = truncateProperties(input);
    expect(Object.keys(properties)).toHaveLength(50);
    expect(properties.p49).toBe('v');
    expect(dropped).toEqual(Array.from({ length: 10 }, (_, i) => `p${50 + i}`));
  });

  it('lower-cases names and keeps one of several that differ only in case, deterministically', () => {
    expect(truncateProperties({ plan: 'c', Plan: 'a', PLAN: 'b' })).toEqual({
      properties: { plan: 'b' },
      dropped: ['Plan', 'plan'],
    });
    expect(truncateProperties({ PLAN: 'b', plan: 'c', Plan: 'a' }).properties).toEqual({ plan: 'b' });
  });

  it.each([['1st'], ['has space'], ['dash-ed'], ['']])('drops the unusable name %j', (name) => {
    expect(truncateProperties({ [name]: 'x' })).toEqual({ properties: {}, dropped: [name] });
  });

  it.each([[null], [undefined], [{ nested: true }], [['a']]])('drops the non-scalar value %j', (value) => {
    expect(truncateProperties({ plan: value }).dropped).toEqual(['plan']);
  });
});
