import type { EventDefinition, PropertyFilter, WorkflowStepInput } from '@/lib/shared';
import { FilterEditor, newFilter } from './FilterEditor';

const UNITS = [
  { label: 'seconds', seconds: 1 },
  { label: 'minutes', seconds: 60 },
  { label: 'hours', seconds: 3600 },
  { label: 'days', seconds: 86_400 },
];

/** A duration in seconds as an amount and the largest unit that divides it. */
function DurationInput({
  seconds,
  onChange,
  label,
}: {
  seconds: number;
  onChange: (seconds: number) => void;
  label: string;
}) {
  const unit = [...UNITS].reverse().find((candidate) => seconds % candidate.seconds === 0) ?? UNITS[0]!;
  return (
    <span className="row">
      <input
        type="number"
        min={1}
        aria-label={label}
        value={seconds / unit.seconds}
        onChange={(event) => onChange(Math.round(Number(event.target.value) * unit.seconds))}
        style={{ width: '6em' }}
      />
      <select
        aria-label={`${label} unit`}
        value={unit.label}
        onChange={(event) =>
          onChange((seconds / unit.seconds) * UNITS.find((u) => u.label === event.target.value)!.seconds)
        }
      >
        {UNITS.map((option) => (
          <option key={option.label}>{option.label}</option>
        ))}
      </select>
    </span>
  );
}

const NEW_STEPS: Record<WorkflowStepInput['type'], () => WorkflowStepInput> = {
  webhook: () => ({ type: 'webhook', url: 'https://' }),
  setContactProperty: () => ({ type: 'setContactProperty', property: '', value: '' }),
  delay: () => ({ type: 'delay', seconds: 3600 }),
  delayUntilEvent: () => ({ type: 'delayUntilEvent', eventName: '', maxWaitSeconds: 86_400, met: [], notMet: [] }),
};
const STEP_LABELS: Record<WorkflowStepInput['type'], string> = {
  webhook: 'Webhook',
  setContactProperty: 'Set contact property',
  delay: 'Delay',
  delayUntilEvent: 'Delay until event',
};

/**
 * An ordered list of steps: add, move up/down, remove; a delay-until-event step holds its "met"
 * and "not met" branches, each a list edited the same way. `path` names the list in errors.
 */
export function StepsEditor({
  steps,
  onChange,
  events,
  path,
}: {
  steps: WorkflowStepInput[];
  onChange: (steps: WorkflowStepInput[]) => void;
  events: EventDefinition[];
  path: string;
}) {
  const replace = (index: number, step: WorkflowStepInput) =>
    onChange(steps.map((old, i) => (i === index ? step : old)));
  const move = (index: number, by: number) => {
    const next = [...steps];
    const [step] = next.splice(index, 1);
    next.splice(index + by, 0, step!);
    onChange(next);
  };
  return (
    <div className="stack" data-testid={`steps-${path}`}>
      {steps.length === 0 && <p className="muted">No steps.</p>}
      <ol className="stack">
        {steps.map((step, index) => (
          <li key={index} className="card stack" data-testid={`step-${path}.${index}`}>
            <div className="row">
              <strong>{STEP_LABELS[step.type]}</strong>
              <span style={{ marginLeft: 'auto' }} className="row">
                <button
                  type="button"
                  className="link"
                  aria-label="Move up"
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="link"
                  aria-label="Move down"
                  disabled={index === steps.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button type="button" className="link" onClick={() => onChange(steps.filter((_, i) => i !== index))}>
                  Remove
                </button>
              </span>
            </div>
            {step.type === 'webhook' && (
              <label>
                URL
                <input
                  type="url"
                  value={step.url}
                  data-testid="webhook-url"
                  onChange={(event) => replace(index, { ...step, url: event.target.value })}
                />
              </label>
            )}
            {step.type === 'setContactProperty' && (
              <span className="row">
                <input
                  aria-label="Property"
                  placeholder="property"
                  value={step.property}
                  onChange={(event) => replace(index, { ...step, property: event.target.value })}
                />
                =
                <input
                  aria-label="Value"
                  placeholder="value"
                  value={step.value}
                  onChange={(event) => replace(index, { ...step, value: event.target.value })}
                />
              </span>
            )}
            {step.type === 'delay' && (
              <DurationInput
                label="Delay"
                seconds={step.seconds}
                onChange={(seconds) => replace(index, { ...step, seconds })}
              />
            )}
            {step.type === 'delayUntilEvent' && (
              <div className="stack">
                <label>
                  Until the event
                  <select
                    value={step.eventName}
                    onChange={(event) => replace(index, { ...step, eventName: event.target.value })}
                  >
                    <option value="">Choose an event…</option>
                    {events.map((definition) => (
                      <option key={definition.name} value={definition.name}>
                        {definition.label}
                      </option>
                    ))}
                  </select>
                </label>
                {step.filter ? (
                  <FilterEditor
                    filter={step.filter}
                    event={events.find((definition) => definition.name === step.eventName)}
                    onChange={(filter: PropertyFilter) => replace(index, { ...step, filter })}
                    onRemove={() => replace(index, { ...step, filter: undefined })}
                  />
                ) : (
                  <button
                    type="button"
                    className="link"
                    onClick={() => replace(index, { ...step, filter: newFilter() })}
                  >
                    Add a property filter
                  </button>
                )}
                <label className="row">
                  <input
                    type="checkbox"
                    checked={step.maxWaitSeconds === null}
                    onChange={(event) =>
                      replace(index, { ...step, maxWaitSeconds: event.target.checked ? null : 86_400 })
                    }
                  />
                  Wait as long as possible
                </label>
                {step.maxWaitSeconds !== null && (
                  <span className="row">
                    At most
                    <DurationInput
                      label="Maximum wait"
                      seconds={step.maxWaitSeconds}
                      onChange={(seconds) => replace(index, { ...step, maxWaitSeconds: seconds })}
                    />
                  </span>
                )}
                <fieldset>
                  <legend>When the event occurs</legend>
                  <StepsEditor
                    steps={step.met ?? []}
                    onChange={(met) => replace(index, { ...step, met })}
                    events={events}
                    path={`${path}.${index}.met`}
                  />
                </fieldset>
                {step.maxWaitSeconds !== null && (
                  <fieldset>
                    <legend>Not met: the maximum wait passed</legend>
                    <StepsEditor
                      steps={step.notMet ?? []}
                      onChange={(notMet) => replace(index, { ...step, notMet })}
                      events={events}
                      path={`${path}.${index}.notMet`}
                    />
                  </fieldset>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
      <div className="row" role="group" aria-label="Add a step">
        {(Object.keys(NEW_STEPS) as WorkflowStepInput['type'][]).map((type) => (
          <button
            key={type}
            type="button"
            onClick={() => onChange([...steps, NEW_STEPS[type]()])}
            data-testid={`add-${type}-${path}`}
          >
            + {STEP_LABELS[type]}
          </button>
        ))}
      </div>
    </div>
  );
}
