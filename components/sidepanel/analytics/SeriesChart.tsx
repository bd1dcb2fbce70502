import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDay, formatNumber, t, type PlainKey } from '@/lib/i18n';
import type { MultiSeries } from '@/lib/shared';

export type ChartMetric = 'completions' | 'uniqueContacts';
export type ChartKind = 'line' | 'bar';

/** Distinguishable on white and for common colour-vision deficiencies (Okabe–Ito, then Tableau). */
const LIGHT_COLOURS = [
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
/** The same hues for the dark theme: the dark blue, black and brown ones lightened to stand out on it. */
const DARK_COLOURS = [
  '#56B4E9',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#9ecae1',
  '#FF8C42',
  '#FFFFFF',
  '#F0E442',
  '#c49c94',
  '#c7c7c7',
];

/** Steps of the count axis: 1, 2, 5, 10, 20, 50, … up to a billion. */
const WHOLE_STEPS = Array.from({ length: 10 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();

/** The series colours for the theme the browser uses now (the side panel follows it). */
export function seriesColours(): readonly string[] {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? DARK_COLOURS : LIGHT_COLOURS;
}

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
function tooltipPlugin(data: MultiSeries, metric: ChartMetric, colours: readonly string[]): uPlot.Plugin {
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
          line.style.color = colours[position % colours.length]!;
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
    const colours = seriesColours();
    // Axis labels and grid in the theme's own colours (uPlot draws them on a canvas, black by default).
    const style = getComputedStyle(element);
    const text = style.getPropertyValue('--ct-text').trim() || undefined;
    const grid = style.getPropertyValue('--ct-surface').trim() || undefined;
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const bars = kind === 'bar' ? uPlot.paths.bars!({ size: [0.8 / data.series.length, 60], align: 1 }) : undefined;
    const chart = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height: 220,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        scales: { y: { range: (_chart, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [
          {
            ...axis,
            values: (_chart, splits) => splits.map((seconds) => dayOf(seconds, { day: 'numeric', month: 'short' })),
          },
          {
            ...axis,
            label: t(METRIC_LABELS[metric]),
            size: 60,
            // Counts: whole-number steps only (no "0.5 completions").
            incrs: WHOLE_STEPS,
            values: (_chart, splits) => splits.map((n) => formatNumber(n)),
          },
        ],
        series: [
          { label: t('analytics.start'), value: (_chart, seconds) => (seconds === null ? '' : dayOf(seconds)) },
          ...data.series.map((one, position) => {
            const colour = colours[position % colours.length]!;
            return {
              label: one.label,
              stroke: colour,
              width: 2,
              ...(bars ? { paths: bars, fill: `${colour}cc`, points: { show: false } } : {}),
            };
          }),
        ],
        plugins: [tooltipPlugin(data, metric, colours)],
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
