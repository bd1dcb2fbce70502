import {
  dateOfDayNumber,
  monthStartOf,
  nextMonthStartOf,
  startOfLocalDay,
  weekStartOf,
  type AnalyticsInterval,
  type WeekStart,
} from '../../lib/shared';

/** One bucket of a series: its label and the UTC instants it covers, `[start, end)` in epoch ms. */
export interface Bucket {
  /** The local date the bucket starts on (a Monday or Sunday for weeks, the 1st for months). */
  label: string;
  start: number;
  end: number;
}

/** A range of inclusive local dates (day numbers) in a zone. */
export interface LocalRange {
  fromDay: number;
  toDay: number;
  timeZone: string;
}

/** The UTC instants a local date range covers: `[start of from, start of the day after to)`. */
export function instantsOf(range: LocalRange): { start: number; end: number } {
  return {
    start: startOfLocalDay(range.fromDay, range.timeZone),
    end: startOfLocalDay(range.toDay + 1, range.timeZone),
  };
}

/** How many buckets the range has at this interval (checked against the limit before building them). */
export function bucketCount(range: LocalRange, interval: AnalyticsInterval, weekStart: WeekStart): number {
  if (interval === 'day') return range.toDay - range.fromDay + 1;
  if (interval === 'week') {
    return (weekStartOf(range.toDay, weekStart) - weekStartOf(range.fromDay, weekStart)) / 7 + 1;
  }
  const from = new Date(range.fromDay * 86_400_000);
  const to = new Date(range.toDay * 86_400_000);
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
}

/**
 * Every bucket of the range, in order, each starting at local midnight of its first day in the
 * zone (so a day is 23 or 25 hours long across a daylight-saving change). The first and last
 * bucket are cut to the range: a week bucket labelled with a Monday before `from` counts from
 * `from` only.
 */
export function bucketsOf(range: LocalRange, interval: AnalyticsInterval, weekStart: WeekStart): Bucket[] {
  const buckets: Bucket[] = [];
  const first =
    interval === 'day'
      ? range.fromDay
      : interval === 'week'
        ? weekStartOf(range.fromDay, weekStart)
        : monthStartOf(range.fromDay);
  for (let day = first; day <= range.toDay;) {
    const next = interval === 'day' ? day + 1 : interval === 'week' ? day + 7 : nextMonthStartOf(day);
    buckets.push({
      label: dateOfDayNumber(day),
      start: startOfLocalDay(Math.max(day, range.fromDay), range.timeZone),
      end: startOfLocalDay(Math.min(next, range.toDay + 1), range.timeZone),
    });
    day = next;
  }
  return buckets;
}
