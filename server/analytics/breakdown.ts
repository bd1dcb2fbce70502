import type { AnalyticsCounts, BreakdownValue, PropertyOption } from '../../lib/shared';
import type { ValueContactCount } from './queries';

export interface BreakdownProperty {
  type: 'string' | 'number' | 'datetime' | 'enumeration';
  /** The options of an enumeration; empty otherwise. */
  options: readonly PropertyOption[];
}

export interface BreakdownCounts {
  totals: AnalyticsCounts;
  values: BreakdownValue[];
  other: AnalyticsCounts;
  missing: AnalyticsCounts;
}

/** Completions and the set of contacts behind them, for one value or one group of values. */
class Tally {
  completions = 0;
  readonly contacts = new Set<string>();
  add(contact: string, completions: number) {
    this.completions += completions;
    this.contacts.add(contact);
  }
  counts(): AnalyticsCounts {
    return { completions: this.completions, uniqueContacts: this.contacts.size };
  }
}

/**
 * Counts a property's values from (value, contact, completions) groups:
 * - an enumeration's values are its options, labelled with the option labels; a multi-value
 *   (`a;b`) counts once for each of its values, so values can add up to more than the total;
 *   values that are not (or no longer) options go to `other`;
 * - the `limit` values with most completions are listed (ties by value), the rest go to `other`;
 * - completions without the property are `missing`.
 * Distinct contacts are counted per value and per group, never summed.
 */
export function countBreakdown(
  rows: readonly ValueContactCount[],
  property: BreakdownProperty,
  limit: number,
): BreakdownCounts {
  const totals = new Tally();
  const missing = new Tally();
  const outside = new Tally();
  const byValue = new Map<string, Tally>();
  const options = new Map(property.options.map((option) => [option.value, option.label]));
  for (const row of rows) {
    totals.add(row.contact, row.completions);
    if (row.value === null) {
      missing.add(row.contact, row.completions);
      continue;
    }
    const values = property.type === 'enumeration' ? [...new Set(row.value.split(';'))] : [row.value];
    for (const value of values) {
      if (property.type === 'enumeration' && !options.has(value)) {
        outside.add(row.contact, row.completions);
        continue;
      }
      let tally = byValue.get(value);
      if (!tally) byValue.set(value, (tally = new Tally()));
      tally.add(row.contact, row.completions);
    }
  }
  const ranked = [...byValue].sort(
    ([a, left], [b, right]) => right.completions - left.completions || (a < b ? -1 : a > b ? 1 : 0),
  );
  // `other` = values outside the options plus the values past the limit, contacts counted once.
  const other = new Tally();
  other.completions = outside.completions;
  for (const contact of outside.contacts) other.contacts.add(contact);
  for (const [, tally] of ranked.slice(limit)) {
    other.completions += tally.completions;
    for (const contact of tally.contacts) other.contacts.add(contact);
  }
  return {
    totals: totals.counts(),
    values: ranked
      .slice(0, limit)
      .map(([value, tally]) => ({ value, label: options.get(value) ?? value, ...tally.counts() })),
    other: other.counts(),
    missing: missing.counts(),
  };
}
