import { t, type PlainKey } from '@/lib/i18n';
import type { EventDefinition, PropertyFilter, WorkflowStepInput } from '@/lib/shared';
import { FilterEditor, newFilter } from './FilterEditor';

const UNITS: readonly { id: string; text: PlainKey; seconds: number }[] = [
  { id: 'seconds', text: 'workflows.unit.seconds', seconds: 1 },
  { id: 'minutes', text: 'workflows.unit.minutes', seconds: 60 },
  { id: 'hours', text: 'workflows.unit.hours', seconds: 3600 },
  { id: 'days', text: 'workflows.unit.days', seconds: 86_400 },
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
        aria-label={t('workflows.unitOf', { label })}
        value={unit.id}
        onChange={(event) =>
          onChange((seconds / unit.seconds) * UNITS.find((u) => u.id === event.target.value)!.seconds)
        }
      >
        {UNITS.map((option) => (
          <option key={option.id} value={option.id}>
            {t(option.text)}
          </option>
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
const STEP_LABELS: Record<WorkflowStepInput['type'], PlainKey> = {
  webhook: 'workflows.step.webhook',
  setContactProperty: 'workflows.step.setContactProperty',
  delay: 'workflows.step.delay',
  delayUntilEvent: 'workflows.step.delayUntilEvent',
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
      {steps.length === 0 && <p className="muted">{t('workflows.noSteps')}</p>}
      <ol className="stack">
        {steps.map((step, index) => (
          <li key={index} className="card stack" data-testid={`step-${path}.${index}`}>
            <div className="row">
              <strong>{t(STEP_LABELS[step.type])}</strong>
              <span style={{ marginLeft: 'auto' }} className="row">
                <button
                  type="button"
                  className="link"
                  aria-label={t('workflows.moveUp')}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="link"
                  aria-label={t('workflows.moveDown')}
                  disabled={index === steps.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button type="button" className="link" onClick={() => onChange(steps.filter((_, i) => i !== index))}>
                  {t('workflows.remove')}
                </button>
              </span>
            </div>
            {step.type === 'webhook' && (
              <label>
                {t('workflows.url')}
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
                  aria-label={t('workflows.property')}
                  placeholder={t('workflows.propertyPlaceholder')}
                  value={step.property}
                  onChange={(event) => replace(index, { ...step, property: event.target.value })}
                />
                =
                <input
                  aria-label={t('workflows.value')}
                  placeholder={t('workflows.valuePlaceholder')}
                  value={step.value}
                  onChange={(event) => replace(index, { ...step, value: event.target.value })}
                />
              </span>
            )}
            {step.type === 'delay' && (
              <DurationInput
                label={t('workflows.step.delay')}
                seconds={step.seconds}
                onChange={(seconds) => replace(index, { ...step, seconds })}
              />
            )}
            {step.type === 'delayUntilEvent' && (
              <div className="stack">
                <label>
                  {t('workflows.untilEvent')}
                  <select
                    value={step.eventName}
                    onChange={(event) => replace(index, { ...step, eventName: event.target.value })}
                  >
                    <option value="">{t('workflows.chooseEvent')}</option>
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
                    {t('workflows.addFilter')}
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
                  {t('workflows.waitForever')}
                </label>
                {step.maxWaitSeconds !== null && (
                  <span className="row">
                    {t('workflows.atMost')}
                    <DurationInput
                      label={t('workflows.maxWait')}
                      seconds={step.maxWaitSeconds}
                      onChange={(seconds) => replace(index, { ...step, maxWaitSeconds: seconds })}
                    />
                  </span>
                )}
                <fieldset>
                  <legend>{t('workflows.whenMet')}</legend>
                  <StepsEditor
                    steps={step.met ?? []}
                    onChange={(met) => replace(index, { ...step, met })}
                    events={events}
                    path={`${path}.${index}.met`}
                  />
                </fieldset>
                {step.maxWaitSeconds !== null && (
                  <fieldset>
                    <legend>{t('workflows.whenNotMet')}</legend>
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
      <div className="row" role="group" aria-label={t('workflows.addStep')}>
        {(Object.keys(NEW_STEPS) as WorkflowStepInput['type'][]).map((type) => (
          <button
            key={type}
            type="button"
            onClick={() => onChange([...steps, NEW_STEPS[type]()])}
            data-testid={`add-${type}-${path}`}
          >
            + {t(STEP_LABELS[type])}
          </button>
        ))}
      </div>
    </div>
  );
}
