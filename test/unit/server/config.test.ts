import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';

describe('loadConfig: TRUST_PROXY', () => {
  it.each([
    [undefined, { kind: 'socket' }],
    ['', { kind: 'socket' }],
    ['X-Forwarded-For', { kind: 'header', header: 'x-forwarded-for' }],
    ['X-Real-IP', { kind: 'header', header: 'x-real-ip' }],
  ])('TRUST_PROXY=%s → %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).clientAddress).toEqual(expected);
  });

  it.each([['true'], ['1'], ['X Forwarded For'], ['x-forwarded-for; drop']])('refuses TRUST_PROXY=%s', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY must name the header/);
  });
});
