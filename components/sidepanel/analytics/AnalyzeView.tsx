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
import { formatDay, formatNumber, t } from '@/lib/i18n';
import { ANALYTICS_LIMITS, type AnalyticsInterval, type EventDefinition, type WeekStart } from '@/lib/shared';
import { BotTraffic } from './BotTraffic';
import { BreakdownPanel } from './BreakdownPanel';
import { downloadText } from './download';
import { FunnelPanel } from './FunnelPanel';
import { seriesColours, SeriesChart, type ChartKind, type ChartMetric } from './SeriesChart';
import { useBackgroundRequest } from './useBackgroundRequest';

/** The legend swatch of the series at `position`, in the chart's colours for the current theme. */
const colourOf = (position: number) => {
  const colours = seriesColours();
  return colours[position % colours.length];
};

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
    <section className="stack analyze" aria-label={t('sidepanel.tab.analyze')} data-testid="analyze-view">
      <fieldset className="event-picker">
        <legend>{t('analytics.eventsUpTo', { max: formatNumber(ANALYTICS_LIMITS.maxSeriesEvents) })}</legend>
        {definitions.length === 0 && <p className="muted">{t('analytics.noEvents')}</p>}
        {definitions.map((definition) => (
          <label key={definition.name} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(definition.name)}
              onChange={(event) => toggle(definition.name, event.target.checked)}
              data-testid={`analyze-event-${definition.name}`}
            />
            {definition.label}
            {definition.archived && <span className="muted"> {t('analytics.archived')}</span>}
          </label>
        ))}
      </fieldset>

      <div className="controls">
        <label>
          {t('analytics.dates')}{' '}
          <select
            value={preset}
            onChange={(event) => setPreset(event.target.value as RangePreset)}
            data-testid="analyze-range"
          >
            {RANGE_PRESETS.map((value) => (
              <option key={value} value={value}>
                {t(RANGE_PRESET_LABELS[value])}
              </option>
            ))}
          </select>
        </label>
        {preset === 'custom' && (
          <>
            <label>
              {t('analytics.from')}{' '}
              <input
                type="date"
                value={custom.from}
                max={custom.to}
                onChange={(event) => setCustom({ ...custom, from: event.target.value })}
                data-testid="analyze-from"
              />
            </label>
            <label>
              {t('analytics.to')}{' '}
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
          {t('analytics.interval')}{' '}
          <select
            value={interval}
            onChange={(event) => setBucketInterval(event.target.value as AnalyticsInterval)}
            data-testid="analyze-interval"
          >
            <option value="day">{t('analytics.day')}</option>
            <option value="week">{t('analytics.week')}</option>
            <option value="month">{t('analytics.month')}</option>
          </select>
        </label>
        {interval === 'week' && (
          <label>
            {t('analytics.weeksStart')}{' '}
            <select value={weekStart} onChange={(event) => setWeekStart(event.target.value as WeekStart)}>
              <option value="monday">{t('analytics.monday')}</option>
              <option value="sunday">{t('analytics.sunday')}</option>
            </select>
          </label>
        )}
      </div>
      <p className="muted">
        {t('analytics.rangeLine', { from: formatDay(range.from), to: formatDay(range.to), timeZone })}
      </p>
      {rangeProblem && (
        <p className="field-error" role="alert">
          {rangeProblem}
        </p>
      )}

      <div className="controls" role="group" aria-label={t('analytics.chart')}>
        <label className="check">
          <input type="radio" name="chart-kind" checked={kind === 'line'} onChange={() => setKind('line')} />{' '}
          {t('analytics.line')}
        </label>
        <label className="check">
          <input
            type="radio"
            name="chart-kind"
            checked={kind === 'bar'}
            onChange={() => setKind('bar')}
            data-testid="analyze-bars"
          />{' '}
          {t('analytics.bars')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={metric === 'uniqueContacts'}
            onChange={(event) => setMetric(event.target.checked ? 'uniqueContacts' : 'completions')}
            data-testid="analyze-unique"
          />{' '}
          {t('analytics.uniqueContacts')}
        </label>
      </div>

      <ErrorMessage error={series.error} />
      {chosen.length === 0 && <p className="muted">{t('analytics.chooseEvents')}</p>}
      {series.loading && (
        <p className="muted" role="status">
          {t('sidepanel.loading')}
        </p>
      )}
      {series.data && chosen.length > 0 && (
        <div aria-busy={series.loading}>
          <SeriesChart data={series.data} metric={metric} kind={kind} />
          <table className="totals" data-testid="analyze-totals">
            <caption>
              {t('analytics.totals', { from: formatDay(series.data.from), to: formatDay(series.data.to) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('analytics.event')}</th>
                <th scope="col">{t('analytics.completions')}</th>
                <th scope="col">{t('analytics.uniqueContacts')}</th>
              </tr>
            </thead>
            <tbody>
              {series.data.series.map((one, position) => (
                <tr key={one.eventName} data-testid={`totals-${one.eventName}`}>
                  <th scope="row">
                    <span className="swatch" style={{ background: colourOf(position) }} aria-hidden="true" />
                    {one.label}
                  </th>
                  <td data-testid="total-completions">{formatNumber(one.totals.completions)}</td>
                  <td data-testid="total-unique">{formatNumber(one.totals.uniqueContacts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {series.data.series.every((one) => one.totals.completions === 0) && (
            <p className="muted" data-testid="analyze-empty">
              {t('analytics.noCompletions')}
            </p>
          )}
          <details>
            <summary>{t('analytics.dataTable')}</summary>
            <table className="totals">
              <thead>
                <tr>
                  <th scope="col">{t('analytics.start')}</th>
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
                    <th scope="row">{formatDay(point.start)}</th>
                    {series.data!.series.map((one) => (
                      <td key={one.eventName}>{formatNumber(one.points[index]![metric])}</td>
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
            {t('analytics.downloadCsv')}
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
