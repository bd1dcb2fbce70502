/**
 * Calendar dates in a time zone, with nothing but `Intl` (no Temporal, no DOM, no Node): the
 * analytics API turns local dates into the UTC instants its buckets start at, and the side panel
 * computes its date-range presets with the same functions.
 *
 * A local date is `YYYY-MM-DD`; internally a "day number" (days since 1970-01-01), so adding days,
 * finding weekdays and month starts is integer arithmetic independent of any zone.
 */

const DAY_MS = 86_400_000;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not a calendar date. */
export function dayNumberOf(date: string): number | undefined {
  const match = LOCAL_DATE_PATTERN.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const parsed = new Date(time);
  // Date.UTC rolls 2024-02-30 over to March; a real calendar date survives the round trip.
  if (parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    return undefined;
  }
  return time / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function dateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** The day number of the first day of the week holding `dayNumber`. */
export function weekStartOf(dayNumber: number, weekStart: 'monday' | 'sunday'): number {
  const offset = weekStart === 'sunday' ? weekdayOf(dayNumber) : (weekdayOf(dayNumber) + 6) % 7;
  return dayNumber - offset;
}

/** The day number of the first day of the month holding `dayNumber`. */
export function monthStartOf(dayNumber: number): number {
  const date = new Date(dayNumber * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

/** The day number of the first day of the month after the one holding `dayNumber`. */
export function nextMonthStartOf(dayNumber: number): number {
  const date = new Date(dayNumber * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `Intl` knows this time zone (an IANA name such as `Europe/Stockholm`, or `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of an instant in a zone, as if that wall clock were UTC (epoch ms). */
function wallClockOf(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  // Whole seconds: the formatter does not show milliseconds.
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockOf(whole, timeZone) - whole;
}

/** The local date (day number) of an instant in a zone. */
export function dayNumberAt(instant: number, timeZone: string): number {
  return Math.floor(wallClockOf(instant, timeZone) / DAY_MS);
}

/**
 * The first instant (epoch ms) of a local date in a zone: usually local midnight; where midnight
 * does not exist (a daylight-saving gap at 00:00), the moment the day begins; where it happens twice,
 * the first of them.
 *
 * The start is `midnight-as-UTC - offset` for the offset in force at that start, which is one of
 * the offsets in force around that date; of those candidates, the earliest whose local date is
 * already the wanted date is the start (local dates only move forward with time).
 */
export function startOfLocalDay(dayNumber: number, timeZone: string): number {
  const midnight = dayNumber * DAY_MS;
  const offsets = new Set([
    offsetAt(midnight - DAY_MS, timeZone),
    offsetAt(midnight, timeZone),
    offsetAt(midnight + DAY_MS, timeZone),
  ]);
  let start = Infinity;
  for (const offset of offsets) {
    const candidate = midnight - offset;
    if (dayNumberAt(candidate, timeZone) >= dayNumber && candidate < start) start = candidate;
  }
  return start;
}

/** Today's date in a zone, as a day number. */
export function todayIn(timeZone: string, now: number = Date.now()): number {
  return dayNumberAt(now, timeZone);
}
