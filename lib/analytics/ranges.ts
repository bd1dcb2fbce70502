/** Date-range presets of the Analyze view, as inclusive local dates in the user's time zone. */
import { dateOfDayNumber, dayNumberOf, monthStartOf, todayIn } from '../shared';

export const RANGE_PRESETS = ['last7', 'last30', 'last90', 'thisMonth', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const RANGE_PRESET_LABELS: Record<RangePreset, string> = {
  last7: 'Last 7 days',
  last30: 'Last 30 days',
  last90: 'Last 90 days',
  thisMonth: 'This month',
  custom: 'Custom',
};

export interface LocalDateRange {
  from: string;
  to: string;
}

/** The range of a preset on the day `now` falls on in `timeZone` (today included). */
export function presetRange(
  preset: Exclude<RangePreset, 'custom'>,
  timeZone: string,
  now = Date.now(),
): LocalDateRange {
  const today = todayIn(timeZone, now);
  const days = { last7: 7, last30: 30, last90: 90 } as const;
  const from = preset === 'thisMonth' ? monthStartOf(today) : today - (days[preset] - 1);
  return { from: dateOfDayNumber(from), to: dateOfDayNumber(today) };
}

/** What is wrong with a custom range, for the form; undefined when it can be sent. */
export function customRangeProblem(range: LocalDateRange, maxDays: number): string | undefined {
  const from = dayNumberOf(range.from);
  const to = dayNumberOf(range.to);
  if (from === undefined) return 'Choose a start date.';
  if (to === undefined) return 'Choose an end date.';
  if (from > to) return 'The start date is after the end date.';
  if (to - from + 1 > maxDays) return `Choose at most ${maxDays} days (or a week or month interval).`;
  return undefined;
}

/** The browser's own time zone (IANA name), UTC when it cannot tell. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
