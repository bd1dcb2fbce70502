import { useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { breakdownCsv } from '@/lib/analytics/csv';
import type { LocalDateRange } from '@/lib/analytics/ranges';
import { formatNumber, t, tp } from '@/lib/i18n';
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
        ...(data.other.completions > 0
          ? [{ key: '(other)', label: t('analytics.otherValues'), counts: data.other }]
          : []),
        ...(data.missing.completions > 0
          ? [{ key: '(missing)', label: t('analytics.notSet'), counts: data.missing }]
          : []),
      ]
    : [];
  const largest = Math.max(1, ...rows.map((row) => row.counts.completions));

  return (
    <section className="stack" aria-labelledby="breakdown-title" data-testid="breakdown">
      <h2 id="breakdown-title">{t('analytics.breakdown')}</h2>
      <div className="controls">
        <label>
          {t('analytics.event')}{' '}
          <select value={definition.name} onChange={(event) => setEventName(event.target.value)}>
            {definitions.map((one) => (
              <option key={one.name} value={one.name}>
                {one.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('analytics.by')}{' '}
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
          {t('sidepanel.loading')}
        </p>
      )}
      {data && data.totals.completions === 0 && <p className="muted">{t('analytics.noCompletions')}</p>}
      {data && data.totals.completions > 0 && (
        <>
          <table className="breakdown" aria-busy={breakdown.loading}>
            <thead>
              <tr>
                <th scope="col">{data.propertyLabel}</th>
                <th scope="col">{t('analytics.completions')}</th>
                <th scope="col">{t('analytics.uniqueContacts')}</th>
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
                  <td>{formatNumber(row.counts.completions)}</td>
                  <td>{formatNumber(row.counts.uniqueContacts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {tp(
              definition.properties.find((one) => one.name === property)?.type === 'enumeration'
                ? 'analytics.breakdownTotalsSeveral'
                : 'analytics.breakdownTotals',
              data.totals.completions,
              { contacts: tp('analytics.contactCount', data.totals.uniqueContacts) },
            )}
          </p>
          <button
            type="button"
            className="link"
            onClick={() =>
              downloadText(`clicktrail-breakdown-${data.eventName}-${data.property}.csv`, breakdownCsv(data))
            }
          >
            {t('analytics.downloadCsv')}
          </button>
        </>
      )}
    </section>
  );
}
