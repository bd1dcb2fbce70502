import { useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { funnelCsv } from '@/lib/analytics/csv';
import type { LocalDateRange } from '@/lib/analytics/ranges';
import { ANALYTICS_LIMITS, type EventDefinition } from '@/lib/shared';
import { downloadText } from './download';
import { useBackgroundRequest } from './useBackgroundRequest';

const WINDOWS = [
  ['PT1H', '1 hour'],
  ['P1D', '1 day'],
  ['P7D', '7 days'],
  ['P14D', '14 days'],
  ['P30D', '30 days'],
] as const;

const percent = (ratio: number) => `${(100 * ratio).toFixed(ratio === 0 || ratio === 1 ? 0 : 1)}%`;

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
      <h2 id="funnel-title">Funnel</h2>
      <ol className="funnel-steps">
        {steps.map((step, index) => (
          <li key={index}>
            <label>
              <span className="visually-hidden">Step {index + 1}</span>
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
                Remove<span className="visually-hidden"> step {index + 1}</span>
              </button>
            )}
          </li>
        ))}
      </ol>
      <div className="controls">
        {steps.length < ANALYTICS_LIMITS.funnelMaxSteps && (
          <button type="button" className="link" onClick={() => setSteps([...steps, definitions[0]!.name])}>
            Add step
          </button>
        )}
        <label>
          Within{' '}
          <select value={conversionWindow} onChange={(event) => setWindow(event.target.value)}>
            {WINDOWS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>{' '}
          of the first step
        </label>
      </div>
      <ErrorMessage error={funnel.error} />
      {funnel.loading && !data && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      {data && (
        <>
          <table className="breakdown" aria-busy={funnel.loading} data-testid="funnel-table">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Contacts</th>
                <th scope="col">From previous</th>
                <th scope="col">Overall</th>
              </tr>
            </thead>
            <tbody>
              {data.steps.map((step, index) => (
                <tr key={index}>
                  <th scope="row">
                    {index + 1}. {step.label}
                    <span className="bar" style={{ width: percent(step.conversionFromFirst) }} aria-hidden="true" />
                  </th>
                  <td>{step.contacts.toLocaleString()}</td>
                  <td>{index === 0 ? '—' : percent(step.conversionFromPrevious)}</td>
                  <td>{percent(step.conversionFromFirst)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.steps[0]!.contacts === 0 && <p className="muted">No contact did the first step in this range.</p>}
          <button
            type="button"
            className="link"
            onClick={() => downloadText(`clicktrail-funnel-${data.from}-${data.to}.csv`, funnelCsv(data))}
          >
            Download CSV
          </button>
        </>
      )}
    </section>
  );
}
