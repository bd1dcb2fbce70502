import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDay, formatNumber, t, type PlainKey } from '@/lib/i18n';
import type { MultiSeries } from '@/lib/shared';

export type ChartMetric = 'completions' | 'uniqueContacts';
export type ChartKind = 'line' | 'bar';

/** Distinguishable on white and for common colour-vision deficiencies (Okabe–Ito, then Tableau). */
export const SERIES_COLOURS = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
  '#F0E442',
  '#8c564b',
  '#7f7f7f',
];

const METRIC_LABELS: Record<ChartMetric, PlainKey> = {
  completions: 'analytics.completions',
  uniqueContacts: 'analytics.uniqueContacts',
};
/** The metric inside a sentence ("5 completions"). */
const METRIC_WORDS: Record<ChartMetric, PlainKey> = {
  completions: 'analytics.completionsWord',
  uniqueContacts: 'analytics.uniqueContactsWord',
};
const PER_INTERVAL: Record<MultiSeries['interval'], PlainKey> = {
  day: 'analytics.perDay',
  week: 'analytics.perWeek',
  month: 'analytics.perMonth',
};

/** A bucket start (seconds at UTC midnight, as the chart's x values) as the user writes that day. */
const dayOf = (seconds: number, options?: Intl.DateTimeFormatOptions) =>
  formatDay(new Date(seconds * 1000).toISOString().slice(0, 10), options);

/** A tooltip that follows the cursor: the bucket's date and each event's value. */
function tooltipPlugin(data: MultiSeries, metric: ChartMetric): uPlot.Plugin {
  let tooltip: HTMLDivElement;
  return {
    hooks: {
      init: (chart) => {
        tooltip = document.createElement('div');
        tooltip.className = 'chart-tooltip';
        tooltip.setAttribute('role', 'status');
        tooltip.dataset.testid = 'chart-tooltip';
        tooltip.hidden = true;
        chart.over.append(tooltip);
      },
      setCursor: (chart) => {
        const index = chart.cursor.idx;
        if (index === null || index === undefined || chart.cursor.left === undefined || chart.cursor.left < 0) {
          tooltip.hidden = true;
          return;
        }
        tooltip.hidden = false;
        tooltip.replaceChildren();
        const title = document.createElement('strong');
        title.textContent = formatDay(data.series[0]!.points[index]!.start);
        tooltip.append(title);
        data.series.forEach((one, position) => {
          const line = document.createElement('div');
          line.textContent = t('analytics.seriesValue', {
            label: one.label,
            value: formatNumber(one.points[index]![metric]),
          });
          line.style.color = SERIES_COLOURS[position % SERIES_COLOURS.length]!;
          tooltip.append(line);
        });
        const left = Math.min(chart.cursor.left, chart.over.clientWidth - 140);
        tooltip.style.left = `${Math.max(0, left) + 8}px`;
        tooltip.style.top = `${Math.max(0, (chart.cursor.top ?? 0) - 10)}px`;
      },
    },
  };
}

/**
 * Completions (or unique contacts) of each event per bucket, drawn with uPlot: a legend that
 * toggles series and shows the values under the cursor, a tooltip, line or bar. The canvas is
 * described for screen readers; the same numbers are in the table the view shows with it.
 */
export function SeriesChart({ data, metric, kind }: { data: MultiSeries; metric: ChartMetric; kind: ChartKind }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element || data.series.length === 0) return;
    // Bucket start dates as UTC midnights, labelled in UTC: the axis shows the local dates the server bucketed by.
    const xs = data.series[0]!.points.map((point) => Date.parse(`${point.start}T00:00:00Z`) / 1000);
    const columns: uPlot.AlignedData = [xs, ...data.series.map((one) => one.points.map((point) => point[metric]))];
    const bars = kind === 'bar' ? uPlot.paths.bars!({ size: [0.8 / data.series.length, 60], align: 1 }) : undefined;
    const chart = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height: 220,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        scales: { y: { range: (_chart, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          { values: (_chart, splits) => splits.map((seconds) => dayOf(seconds, { day: 'numeric', month: 'short' })) },
          { label: t(METRIC_LABELS[metric]), size: 60, values: (_chart, splits) => splits.map((n) => formatNumber(n)) },
        ],
        series: [
          { label: t('analytics.start'), value: (_chart, seconds) => (seconds === null ? '' : dayOf(seconds)) },
          ...data.series.map((one, position) => {
            const colour = SERIES_COLOURS[position % SERIES_COLOURS.length]!;
            return {
              label: one.label,
              stroke: colour,
              width: 2,
              ...(bars ? { paths: bars, fill: `${colour}cc`, points: { show: false } } : {}),
            };
          }),
        ],
        plugins: [tooltipPlugin(data, metric)],
      },
      columns,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, element.clientWidth), height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [data, metric, kind]);
  const summary = data.series
    .map((one) =>
      t('analytics.seriesTotal', {
        label: one.label,
        value: formatNumber(one.totals[metric]),
        metric: t(METRIC_WORDS[metric]),
      }),
    )
    .join('; ');
  return (
    <div
      ref={container}
      className="series-chart"
      role="img"
      aria-label={t(kind === 'bar' ? 'analytics.barChart' : 'analytics.lineChart', {
        metric: t(METRIC_WORDS[metric]),
        interval: t(PER_INTERVAL[data.interval]),
        from: formatDay(data.from),
        to: formatDay(data.to),
        timeZone: data.timeZone,
        summary,
      })}
      data-testid="series-chart"
    />
  );
}
