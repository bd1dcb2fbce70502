import { describe, expect, it } from 'vitest';
import { breakdownCsv, funnelCsv, seriesCsv, toCsv } from '../../../lib/analytics/csv';
import { customRangeProblem, presetRange } from '../../../lib/analytics/ranges';

describe('toCsv', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(
      toCsv([
        ['a,b', 'say "hi"', 3],
        ['=SUM(A1)', '-1', -1],
      ]),
    ).toBe('"a,b","say ""hi""",3\r\n\'=SUM(A1),\'-1,-1\r\n');
  });
});

describe('seriesCsv, breakdownCsv, funnelCsv', () => {
  it('writes what the view shows', () => {
    const point = (start: string, completions: number, uniqueContacts: number) => ({
      start,
      completions,
      uniqueContacts,
    });
    const one = (eventName: string, label: string, points: ReturnType<typeof point>[]) => ({
      eventName,
      label,
      archived: false,
      interval: 'day' as const,
      timeZone: 'UTC',
      weekStart: 'monday' as const,
      from: '2025-03-01',
      to: '2025-03-02',
      totals: { completions: points.reduce((sum, p) => sum + p.completions, 0), uniqueContacts: 2 },
      points,
    });
    const csv = seriesCsv({
      interval: 'day',
      timeZone: 'UTC',
      weekStart: 'monday',
      from: '2025-03-01',
      to: '2025-03-02',
      series: [
        one('a', 'Signed up', [point('2025-03-01', 2, 2), point('2025-03-02', 1, 1)]),
        one('b', 'Paid', [point('2025-03-01', 0, 0), point('2025-03-02', 3, 2)]),
      ],
    });
    expect(csv.split('\r\n')).toEqual([
      'start,Signed up completions,Signed up unique contacts,Paid completions,Paid unique contacts',
      '2025-03-01,2,2,0,0',
      '2025-03-02,1,1,3,2',
      'total,3,2,3,2',
      '',
    ]);
    const counts = (completions: number, uniqueContacts: number) => ({ completions, uniqueContacts });
    expect(
      breakdownCsv({
        eventName: 'a',
        property: 'plan',
        propertyLabel: 'Plan',
        timeZone: 'UTC',
        from: '2025-03-01',
        to: '2025-03-02',
        totals: counts(5, 3),
        values: [{ value: 'pro', label: 'Pro plan', ...counts(3, 2) }],
        other: counts(1, 1),
        missing: counts(1, 1),
      }).split('\r\n')[1],
    ).toBe('Pro plan,pro,3,2');
    expect(
      funnelCsv({
        timeZone: 'UTC',
        from: '2025-03-01',
        to: '2025-03-02',
        window: 'P7D',
        steps: [
          { eventName: 'a', label: 'Viewed', contacts: 4, conversionFromPrevious: 1, conversionFromFirst: 1 },
          { eventName: 'b', label: 'Paid', contacts: 1, conversionFromPrevious: 0.25, conversionFromFirst: 0.25 },
        ],
      }).split('\r\n')[2],
    ).toBe('2,Paid,1,0.2500,0.2500');
  });
});

describe('presetRange', () => {
  // 2025-03-31 23:30 UTC is already April 1st in Stockholm.
  const now = Date.parse('2025-03-31T23:30:00Z');
  it.each([
    ['last7', 'UTC', '2025-03-25', '2025-03-31'],
    ['last30', 'UTC', '2025-03-02', '2025-03-31'],
    ['last90', 'UTC', '2025-01-01', '2025-03-31'],
    ['thisMonth', 'UTC', '2025-03-01', '2025-03-31'],
    ['thisMonth', 'Europe/Stockholm', '2025-04-01', '2025-04-01'],
    ['last7', 'Europe/Stockholm', '2025-03-26', '2025-04-01'],
  ] as const)('%s in %s is %s to %s', (preset, zone, from, to) => {
    expect(presetRange(preset, zone, now)).toEqual({ from, to });
  });
});

describe('customRangeProblem', () => {
  it.each([
    [{ from: '2025-03-01', to: '2025-03-31' }, undefined],
    [{ from: '', to: '2025-03-31' }, 'Choose a start date.'],
    [{ from: '2025-03-31', to: '2025-03-01' }, 'The start date is after the end date.'],
    [{ from: '2024-01-01', to: '2025-01-01' }, 'Choose at most 366 days (or a week or month interval).'],
  ])('%o → %s', (range, problem) => {
    expect(customRangeProblem(range, 366)).toBe(problem);
  });
});
