import { afterEach, describe, expect, it, vi } from 'vitest';
import { report, safe, setDebug } from '../../../lib/tracker/safe';

afterEach(() => {
  setDebug(false);
  vi.restoreAllMocks();
});

describe('safe', () => {
  it('returns what the function returns, and the fallback instead of throwing', () => {
    expect(safe((a: number, b: number) => a + b)(1, 2)).toBe(3);
    const boom = safe((): number => {
      throw new Error('boom');
    }, -1);
    expect(boom()).toBe(-1);
    expect(safe((): unknown => JSON.parse('{'))()).toBeUndefined();
  });

  it('logs what it swallowed only in debug mode', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = new Error('hidden');
    safe(() => {
      throw error;
    })();
    expect(warn).not.toHaveBeenCalled();
    setDebug(true);
    safe(() => {
      throw error;
    })();
    report('also');
    expect(warn.mock.calls).toEqual([
      ['[clicktrail]', error],
      ['[clicktrail]', 'also'],
    ]);
  });
});
