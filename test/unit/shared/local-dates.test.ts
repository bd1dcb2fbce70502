import { describe, expect, it } from 'vitest';
import {
  dateOfDayNumber,
  dayNumberAt,
  dayNumberOf,
  isValidTimeZone,
  startOfLocalDay,
  weekStartOf,
} from '../../../lib/shared/local-dates';

const day = (date: string) => dayNumberOf(date)!;
const iso = (instant: number) => new Date(instant).toISOString();

describe('dayNumberOf', () => {
  it.each([
    ['1970-01-01', 0],
    ['2024-02-29', 19782],
    ['2024-02-30', undefined],
    ['2025-13-01', undefined],
    ['2025-1-01', undefined],
  ])('%s → %s', (date, expected) => {
    expect(dayNumberOf(date)).toBe(expected);
    if (expected !== undefined) expect(dateOfDayNumber(expected)).toBe(date);
  });
});

describe('weekStartOf', () => {
  it('finds the Monday or Sunday on or before a date', () => {
    expect(dateOfDayNumber(weekStartOf(day('2025-03-02'), 'monday'))).toBe('2025-02-24');
    expect(dateOfDayNumber(weekStartOf(day('2025-03-03'), 'monday'))).toBe('2025-03-03');
    expect(dateOfDayNumber(weekStartOf(day('2025-03-02'), 'sunday'))).toBe('2025-03-02');
    expect(dateOfDayNumber(weekStartOf(day('2025-03-01'), 'sunday'))).toBe('2025-02-23');
  });
});

describe('startOfLocalDay', () => {
  it.each([
    ['2025-03-30', 'UTC', '2025-03-30T00:00:00.000Z'],
    ['2025-03-30', 'Europe/Stockholm', '2025-03-29T23:00:00.000Z'], // 23-hour day
    ['2025-03-31', 'Europe/Stockholm', '2025-03-30T22:00:00.000Z'],
    ['2025-10-26', 'Europe/Stockholm', '2025-10-25T22:00:00.000Z'], // 25-hour day
    ['2025-10-27', 'Europe/Stockholm', '2025-10-26T23:00:00.000Z'],
    ['2025-03-09', 'America/New_York', '2025-03-09T05:00:00.000Z'],
    ['2025-03-10', 'America/New_York', '2025-03-10T04:00:00.000Z'],
    ['2025-01-01', 'Asia/Kolkata', '2024-12-31T18:30:00.000Z'],
    ['2025-01-01', 'Pacific/Kiritimati', '2024-12-31T10:00:00.000Z'],
    // Midnight does not exist: clocks jump from 00:00 to 01:00, so the day starts at 01:00 local.
    ['2024-09-08', 'America/Santiago', '2024-09-08T04:00:00.000Z'],
    // Clocks go back from 24:00 to 23:00: the hour before midnight repeats, midnight comes once.
    ['2024-04-07', 'America/Santiago', '2024-04-07T04:00:00.000Z'],
  ])('%s in %s starts at %s', (date, zone, expected) => {
    const start = startOfLocalDay(day(date), zone);
    expect(iso(start)).toBe(expected);
    expect(dayNumberAt(start, zone)).toBe(day(date));
    expect(dayNumberAt(start - 1, zone)).toBeLessThan(day(date));
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Stockholm', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['', false],
  ])('%s → %s', (zone, expected) => {
    expect(isValidTimeZone(zone)).toBe(expected);
  });
});
