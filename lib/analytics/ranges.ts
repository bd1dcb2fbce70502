/** Date-range presets of the Analyze view, as inclusive local dates in the user's time zone. */
import { formatNumber, t, type PlainKey } from '../i18n';
import { dateOfDayNumber, dayNumberOf, monthStartOf, todayIn } from '../shared';

export const RANGE_PRESETS = ['last7', 'last30', 'last90', 'thisMonth', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** The message of each preset's name. */
export const RANGE_PRESET_LABELS: Record<RangePreset, PlainKey> = {
  last7: 'analytics.range.last7',
  last30: 'analytics.range.last30',
  last90: 'analytics.range.last90',
  thisMonth: 'analytics.range.thisMonth',
  custom: 'analytics.range.custom',
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
  if (from === undefined) return t('analytics.range.noStart');
  if (to === undefined) return t('analytics.range.noEnd');
  if (from > to) return t('analytics.range.startAfterEnd');
  if (to - from + 1 > maxDays) return t('analytics.range.tooLong', { max: formatNumber(maxDays) });
  return undefined;
}

/** The browser's own time zone (IANA name), UTC when it cannot tell. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
