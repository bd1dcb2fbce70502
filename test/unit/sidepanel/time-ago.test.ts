import { describe, expect, it } from 'vitest';
import { timeAgo } from '../../../components/sidepanel/LastFired';

describe('timeAgo (when an event last fired, in the events panel)', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it.each([
    ['2026-11-29T11:59:30Z', 'just now'],
    ['2026-11-29T12:00:05Z', 'just now'],
    ['2026-11-29T11:59:00Z', '1 minute ago'],
    ['2026-11-29T11:15:00Z', '45 minutes ago'],
    ['2026-11-29T09:00:00Z', '3 hours ago'],
    ['2026-11-28T11:00:00Z', 'yesterday'],
    ['2026-11-19T12:00:00Z', '10 days ago'],
  ])('says %s as "%s"', (at, expected) => {
    expect(timeAgo(at, now)).toBe(expected);
  });
});
