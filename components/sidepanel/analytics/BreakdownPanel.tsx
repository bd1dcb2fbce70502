import { useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { breakdownCsv } from '@/lib/analytics/csv';
import type { LocalDateRange } from '@/lib/analytics/ranges';
import type { AnalyticsCounts, EventDefinition } from '@/lib/shared';
import { downloadText } from './download';
import { useBackgroundRequest } from './useBackgroundRequest';

/** Default properties worth breaking down; the event's own properties come first. */
const DEFAULT_BREAKDOWNS = ['hs_page_path', 'hs_utm_source', 'hs_utm_campaign', 'hs_device_type', 'hs_browser'];

/** An event's completions by the values of one property, as a table with a bar per value. */
export function BreakdownPanel({
  definitions,
  range,
  timeZone,
}: {
  definitions: EventDefinition[];
  range: LocalDateRange;
  timeZone: string;
}) {
  const [eventName, setEventName] = useState(definitions[0]!.name);
  const definition = definitions.find((one) => one.name === eventName) ?? definitions[0]!;
  const properties = [
    ...definition.properties.map((property) => ({ name: property.name, label: property.label })),
    ...DEFAULT_BREAKDOWNS.map((name) => ({ name, label: name })),
  ];
  const [chosenProperty, setProperty] = useState(properties[0]!.name);
  const property = properties.some((one) => one.name === chosenProperty) ? chosenProperty : properties[0]!.name;
  const breakdown = useBackgroundRequest('analytics/breakdown', {
    eventName: definition.name,
    property,
    from: range.from,
    to: range.to,
    timeZone,
  });
  const data = breakdown.data;
  const rows: { key: string; label: string; counts: AnalyticsCounts }[] = data
    ? [
        ...data.values.map((value) => ({ key: value.value, label: value.label, counts: value })),
        ...(data.other.completions > 0 ? [{ key: '(other)', label: 'Other', counts: data.other }] : []),
        ...(data.missing.completions > 0 ? [{ key: '(missing)', label: 'Not set', counts: data.missing }] : []),
      ]
    : [];
  const largest = Math.max(1, ...rows.map((row) => row.counts.completions));

  return (
    <section className="stack" aria-labelledby="breakdown-title" data-testid="breakdown">
      <h2 id="breakdown-title">Breakdown</h2>
      <div className="controls">
        <label>
          Event{' '}
          <select value={definition.name} onChange={(event) => setEventName(event.target.value)}>
            {definitions.map((one) => (
              <option key={one.name} value={one.name}>
                {one.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          by{' '}
          <select
            value={property}
            onChange={(event) => setProperty(event.target.value)}
            data-testid="breakdown-property"
          >
            {properties.map((one) => (
              <option key={one.name} value={one.name}>
                {one.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorMessage error={breakdown.error} />
      {breakdown.loading && !data && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {data && data.totals.completions === 0 && <p className="muted">No completions in this range.</p>}
      {data && data.totals.completions > 0 && (
        <>
          <table className="breakdown" aria-busy={breakdown.loading}>
            <thead>
              <tr>
                <th scope="col">{data.propertyLabel}</th>
                <th scope="col">Completions</th>
                <th scope="col">Unique contacts</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <th scope="row">
                    {row.label}
                    <span
                      className="bar"
                      style={{ width: `${(100 * row.counts.completions) / largest}%` }}
                      aria-hidden="true"
                    />
                  </th>
                  <td>{row.counts.completions.toLocaleString()}</td>
                  <td>{row.counts.uniqueContacts.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {data.totals.completions.toLocaleString()} completions by {data.totals.uniqueContacts.toLocaleString()}{' '}
            contacts
            {definition.properties.find((one) => one.name === property)?.type === 'enumeration' &&
              '; a completion with several values counts once for each'}
            .
          </p>
          <button
            type="button"
            className="link"
            onClick={() =>
              downloadText(`clicktrail-breakdown-${data.eventName}-${data.property}.csv`, breakdownCsv(data))
            }
          >
            Download CSV
          </button>
        </>
      )}
    </section>
  );
}
