import { useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { funnelCsv } from '@/lib/analytics/csv';
import type { LocalDateRange } from '@/lib/analytics/ranges';
import { formatNumber, t, tParts } from '@/lib/i18n';
import { Rich } from '@/components/common/Rich';
import { ANALYTICS_LIMITS, type EventDefinition } from '@/lib/shared';
import { downloadText } from './download';
import { useBackgroundRequest } from './useBackgroundRequest';

/** Conversion windows: ISO 8601 duration, and its length for the label ("7 days", "7 dagar"). */
const WINDOWS = [
  ['PT1H', 1, 'hour'],
  ['P1D', 1, 'day'],
  ['P7D', 7, 'day'],
  ['P14D', 14, 'day'],
  ['P30D', 30, 'day'],
] as const;

const fractionDigits = (ratio: number) => (ratio === 0 || ratio === 1 ? 0 : 1);
/** A ratio as the locale writes a percentage ("12.5%", "12,5 %"). */
const percent = (ratio: number) =>
  formatNumber(ratio, { style: 'percent', maximumFractionDigits: fractionDigits(ratio) });
/** The same for CSS (a bar's width). */
const cssPercent = (ratio: number) => `${(100 * ratio).toFixed(fractionDigits(ratio))}%`;

/** Contacts moving through 2–5 events in order, within a window of their first step. */
export function FunnelPanel({
  definitions,
  range,
  timeZone,
}: {
  definitions: EventDefinition[];
  range: LocalDateRange;
  timeZone: string;
}) {
  const [steps, setSteps] = useState<string[]>(() => definitions.slice(0, 2).map((definition) => definition.name));
  const [conversionWindow, setWindow] = useState<string>('P7D');
  const funnel = useBackgroundRequest('analytics/funnel', {
    steps,
    window: conversionWindow,
    from: range.from,
    to: range.to,
    timeZone,
  });
  const data = funnel.data;

  return (
    <section className="stack" aria-labelledby="funnel-title" data-testid="funnel">
      <h2 id="funnel-title">{t('analytics.funnel')}</h2>
      <ol className="funnel-steps">
        {steps.map((step, index) => (
          <li key={index}>
            <label>
              <span className="visually-hidden">{t('analytics.stepNumber', { step: formatNumber(index + 1) })}</span>
              <select
                value={step}
                onChange={(event) =>
                  setSteps(steps.map((other, position) => (position === index ? event.target.value : other)))
                }
              >
                {definitions.map((definition) => (
                  <option key={definition.name} value={definition.name}>
                    {definition.label}
                  </option>
                ))}
              </select>
            </label>
            {steps.length > ANALYTICS_LIMITS.funnelMinSteps && (
              <button
                type="button"
                className="link"
                onClick={() => setSteps(steps.filter((_, position) => position !== index))}
              >
                <Rich
                  parts={tParts('analytics.removeStep', {
                    step: (
                      <span className="visually-hidden">
                        {t('analytics.stepNumber', { step: formatNumber(index + 1) })}
                      </span>
                    ),
                  })}
                />
              </button>
            )}
          </li>
        ))}
      </ol>
      <div className="controls">
        {steps.length < ANALYTICS_LIMITS.funnelMaxSteps && (
          <button type="button" className="link" onClick={() => setSteps([...steps, definitions[0]!.name])}>
            {t('analytics.addStep')}
          </button>
        )}
        <label>
          <Rich
            parts={tParts('analytics.within', {
              window: (
                <select value={conversionWindow} onChange={(event) => setWindow(event.target.value)}>
                  {WINDOWS.map(([value, length, unit]) => (
                    <option key={value} value={value}>
                      {formatNumber(length, { style: 'unit', unit, unitDisplay: 'long' })}
                    </option>
                  ))}
                </select>
              ),
            })}
          />
        </label>
      </div>
      <ErrorMessage error={funnel.error} />
      {funnel.loading && !data && (
        <p className="muted" role="status">
          {t('sidepanel.loading')}
        </p>
      )}
      {data && (
        <>
          <table className="breakdown" aria-busy={funnel.loading} data-testid="funnel-table">
            <thead>
              <tr>
                <th scope="col">{t('analytics.step')}</th>
                <th scope="col">{t('analytics.contacts')}</th>
                <th scope="col">{t('analytics.fromPrevious')}</th>
                <th scope="col">{t('analytics.overall')}</th>
              </tr>
            </thead>
            <tbody>
              {data.steps.map((step, index) => (
                <tr key={index}>
                  <th scope="row">
                    {t('analytics.funnelStep', { step: formatNumber(index + 1), label: step.label })}
                    <span className="bar" style={{ width: cssPercent(step.conversionFromFirst) }} aria-hidden="true" />
                  </th>
                  <td>{formatNumber(step.contacts)}</td>
                  <td>{index === 0 ? '—' : percent(step.conversionFromPrevious)}</td>
                  <td>{percent(step.conversionFromFirst)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.steps[0]!.contacts === 0 && <p className="muted">{t('analytics.funnelEmpty')}</p>}
          <button
            type="button"
            className="link"
            onClick={() => downloadText(`clicktrail-funnel-${data.from}-${data.to}.csv`, funnelCsv(data))}
          >
            {t('analytics.downloadCsv')}
          </button>
        </>
      )}
    </section>
  );
}
