/** CSV of what the Analyze view shows (RFC 4180: quoted when needed, CRLF line ends). */
import type { Breakdown, Funnel, MultiSeries } from '../shared';

function cell(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would run as a formula in spreadsheets: prefixed with ' (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** One row per bucket: the bucket start, then completions and unique contacts of each event; a totals row last. */
export function seriesCsv(data: MultiSeries): string {
  const header = [
    'start',
    ...data.series.flatMap((one) => [`${one.label} completions`, `${one.label} unique contacts`]),
  ];
  const rows = (data.series[0]?.points ?? []).map((point, index) => [
    point.start,
    ...data.series.flatMap((one) => [one.points[index]!.completions, one.points[index]!.uniqueContacts]),
  ]);
  const totals = ['total', ...data.series.flatMap((one) => [one.totals.completions, one.totals.uniqueContacts])];
  return toCsv([header, ...rows, totals]);
}

export function breakdownCsv(data: Breakdown): string {
  return toCsv([
    [data.propertyLabel, 'value', 'completions', 'unique contacts'],
    ...data.values.map((value) => [value.label, value.value, value.completions, value.uniqueContacts]),
    ['(other)', '', data.other.completions, data.other.uniqueContacts],
    ['(missing)', '', data.missing.completions, data.missing.uniqueContacts],
    ['(total)', '', data.totals.completions, data.totals.uniqueContacts],
  ]);
}

export function funnelCsv(data: Funnel): string {
  return toCsv([
    ['step', 'event', 'contacts', 'conversion from previous', 'conversion from first'],
    ...data.steps.map((step, index) => [
      index + 1,
      step.label,
      step.contacts,
      step.conversionFromPrevious.toFixed(4),
      step.conversionFromFirst.toFixed(4),
    ]),
  ]);
}
