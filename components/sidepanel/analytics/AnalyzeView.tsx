import { useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import {
  browserTimeZone,
  customRangeProblem,
  presetRange,
  RANGE_PRESET_LABELS,
  RANGE_PRESETS,
  type LocalDateRange,
  type RangePreset,
} from '@/lib/analytics/ranges';
import { seriesCsv } from '@/lib/analytics/csv';
import { ANALYTICS_LIMITS, type AnalyticsInterval, type EventDefinition, type WeekStart } from '@/lib/shared';
import { BotTraffic } from './BotTraffic';
import { BreakdownPanel } from './BreakdownPanel';
import { downloadText } from './download';
import { FunnelPanel } from './FunnelPanel';
import { SERIES_COLOURS, SeriesChart, type ChartKind, type ChartMetric } from './SeriesChart';
import { useBackgroundRequest } from './useBackgroundRequest';

/** The largest range each interval allows (the server's bucket limit). */
const MAX_DAYS: Record<AnalyticsInterval, number> = { day: ANALYTICS_LIMITS.maxBuckets, week: 7 * 300, month: 366 * 5 };

/** "Analyze": completions of the chosen events over time, their breakdown by a property, and a funnel. */
export function AnalyzeView({ definitions }: { definitions: EventDefinition[] }) {
  const [timeZone] = useState(browserTimeZone);
  const active = definitions.filter((definition) => !definition.archived);
  const [chosen, setChosen] = useState<string[]>(() => (active[0] ? [active[0].name] : []));
  const [preset, setPreset] = useState<RangePreset>('last30');
  const [custom, setCustom] = useState<LocalDateRange>(() => presetRange('last30', timeZone));
  const [interval, setBucketInterval] = useState<AnalyticsInterval>('day');
  const [weekStart, setWeekStart] = useState<WeekStart>('monday');
  const [metric, setMetric] = useState<ChartMetric>('completions');
  const [kind, setKind] = useState<ChartKind>('line');

  const range = preset === 'custom' ? custom : presetRange(preset, timeZone);
  const rangeProblem = preset === 'custom' ? customRangeProblem(custom, MAX_DAYS[interval]) : undefined;
  const series = useBackgroundRequest(
    'analytics/series',
    chosen.length === 0 || rangeProblem
      ? null
      : { eventNames: chosen, from: range.from, to: range.to, timeZone, interval, weekStart },
  );
  const toggle = (name: string, on: boolean) =>
    setChosen((current) =>
      on ? [...current, name].slice(-ANALYTICS_LIMITS.maxSeriesEvents) : current.filter((other) => other !== name),
    );
  const chosenDefinitions = definitions.filter((definition) => chosen.includes(definition.name));

  return (
    <section className="stack analyze" aria-label="Analyze" data-testid="analyze-view">
      <fieldset className="event-picker">
        <legend>Events (up to {ANALYTICS_LIMITS.maxSeriesEvents})</legend>
        {definitions.length === 0 && <p className="muted">No events yet: create one in the Events tab.</p>}
        {definitions.map((definition) => (
          <label key={definition.name} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(definition.name)}
              onChange={(event) => toggle(definition.name, event.target.checked)}
              data-testid={`analyze-event-${definition.name}`}
            />
            {definition.label}
            {definition.archived && <span className="muted"> (archived)</span>}
          </label>
        ))}
      </fieldset>

      <div className="controls">
        <label>
          Dates{' '}
          <select
            value={preset}
            onChange={(event) => setPreset(event.target.value as RangePreset)}
            data-testid="analyze-range"
          >
            {RANGE_PRESETS.map((value) => (
              <option key={value} value={value}>
                {RANGE_PRESET_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        {preset === 'custom' && (
          <>
            <label>
              From{' '}
              <input
                type="date"
                value={custom.from}
                max={custom.to}
                onChange={(event) => setCustom({ ...custom, from: event.target.value })}
                data-testid="analyze-from"
              />
            </label>
            <label>
              To{' '}
              <input
                type="date"
                value={custom.to}
                min={custom.from}
                onChange={(event) => setCustom({ ...custom, to: event.target.value })}
                data-testid="analyze-to"
              />
            </label>
          </>
        )}
        <label>
          Interval{' '}
          <select
            value={interval}
            onChange={(event) => setBucketInterval(event.target.value as AnalyticsInterval)}
            data-testid="analyze-interval"
          >
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
        {interval === 'week' && (
          <label>
            Weeks start{' '}
            <select value={weekStart} onChange={(event) => setWeekStart(event.target.value as WeekStart)}>
              <option value="monday">Monday</option>
              <option value="sunday">Sunday</option>
            </select>
          </label>
        )}
      </div>
      <p className="muted">
        {range.from} to {range.to}, {timeZone}
      </p>
      {rangeProblem && (
        <p className="field-error" role="alert">
          {rangeProblem}
        </p>
      )}

      <div className="controls" role="group" aria-label="Chart">
        <label className="check">
          <input type="radio" name="chart-kind" checked={kind === 'line'} onChange={() => setKind('line')} /> Line
        </label>
        <label className="check">
          <input
            type="radio"
            name="chart-kind"
            checked={kind === 'bar'}
            onChange={() => setKind('bar')}
            data-testid="analyze-bars"
          />{' '}
          Bars
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={metric === 'uniqueContacts'}
            onChange={(event) => setMetric(event.target.checked ? 'uniqueContacts' : 'completions')}
            data-testid="analyze-unique"
          />{' '}
          Unique contacts
        </label>
      </div>

      <ErrorMessage error={series.error} />
      {chosen.length === 0 && <p className="muted">Choose one or more events to chart.</p>}
      {series.loading && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {series.data && chosen.length > 0 && (
        <div aria-busy={series.loading}>
          <SeriesChart data={series.data} metric={metric} kind={kind} />
          <table className="totals" data-testid="analyze-totals">
            <caption>
              Totals, {series.data.from} to {series.data.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Completions</th>
                <th scope="col">Unique contacts</th>
              </tr>
            </thead>
            <tbody>
              {series.data.series.map((one, position) => (
                <tr key={one.eventName} data-testid={`totals-${one.eventName}`}>
                  <th scope="row">
                    <span
                      className="swatch"
                      style={{ background: SERIES_COLOURS[position % SERIES_COLOURS.length] }}
                      aria-hidden="true"
                    />
                    {one.label}
                  </th>
                  <td data-testid="total-completions">{one.totals.completions.toLocaleString()}</td>
                  <td data-testid="total-unique">{one.totals.uniqueContacts.toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {series.data.series.every((one) => one.totals.completions === 0) && (
            <p className="muted" data-testid="analyze-empty">
              No completions in this range.
            </p>
          )}
          <details>
            <summary>Data table</summary>
            <table className="totals">
              <thead>
                <tr>
                  <th scope="col">Start</th>
                  {series.data.series.map((one) => (
                    <th scope="col" key={one.eventName}>
                      {one.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {series.data.series[0]?.points.map((point, index) => (
                  <tr key={point.start}>
                    <th scope="row">{point.start}</th>
                    {series.data!.series.map((one) => (
                      <td key={one.eventName}>{one.points[index]![metric].toLocaleString()}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          <button
            type="button"
            className="link"
            onClick={() =>
              downloadText(`clicktrail-series-${series.data!.from}-${series.data!.to}.csv`, seriesCsv(series.data!))
            }
            data-testid="analyze-csv"
          >
            Download CSV
          </button>
        </div>
      )}

      {chosenDefinitions.length > 0 && !rangeProblem && (
        <BreakdownPanel definitions={chosenDefinitions} range={range} timeZone={timeZone} />
      )}
      {active.length > 1 && !rangeProblem && (
        <FunnelPanel definitions={definitions} range={range} timeZone={timeZone} />
      )}
      <BotTraffic />
    </section>
  );
}
