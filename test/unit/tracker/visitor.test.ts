import { afterEach, describe, expect, it, vi } from 'vitest';
import { isVisitorToken } from '../../../lib/shared';
import { randomId } from '../../../lib/tracker/visitor';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('makes RFC 9562 version-7 UUIDs that are valid visitor tokens', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomId();
      expect(id).toMatch(UUID_V7);
      expect(isVisitorToken(id)).toBe(true);
    }
  });

  it('carries the time in its first 48 bits, so later ids sort later', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    const first = randomId();
    expect(parseInt(first.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 0, 1));
    vi.advanceTimersByTime(1);
    const second = randomId();
    expect(second > first).toBe(true);
  });

  it('is random after the timestamp: 1,000 ids in one millisecond are distinct', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    expect(new Set(Array.from({ length: 1000 }, randomId)).size).toBe(1000);
  });
});
