import type { PropertyOption } from '@/lib/shared';

/** An option as the form holds it (order is the list order; `displayOrder` is set on save). */
export type OptionDraft = Pick<PropertyOption, 'label' | 'value' | 'hidden'>;

/**
 * The options of an enumeration property: label and value each, moved up or down (the display
 * order), hidden (kept for data already sent, no longer offered) or removed.
 */
export function OptionsEditor({
  options,
  onChange,
  errorAt,
}: {
  options: OptionDraft[];
  onChange: (options: OptionDraft[]) => void;
  /** The validation message of an option's field, if any. */
  errorAt: (index: number, field: 'label' | 'value') => string | undefined;
}) {
  const set = (index: number, change: Partial<OptionDraft>) =>
    onChange(options.map((option, at) => (at === index ? { ...option, ...change } : option)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...options];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    onChange(next);
  };
  return (
    <fieldset className="options" data-testid="property-options">
      <legend>Options</legend>
      {options.length === 0 && <p className="muted">An enumeration needs at least one option.</p>}
      <ol>
        {options.map((option, index) => {
          const n = index + 1;
          const labelError = errorAt(index, 'label');
          const valueError = errorAt(index, 'value');
          return (
            <li key={index} data-testid={`option-${index}`} className={option.hidden ? 'hidden-option' : undefined}>
              <div className="option-row">
                <input
                  aria-label={`Option ${n} label`}
                  value={option.label}
                  onChange={(event) => set(index, { label: event.target.value })}
                  aria-invalid={Boolean(labelError)}
                  data-testid="option-label"
                />
                <input
                  aria-label={`Option ${n} value`}
                  value={option.value}
                  onChange={(event) => set(index, { value: event.target.value })}
                  aria-invalid={Boolean(valueError)}
                  data-testid="option-value"
                />
              </div>
              {(labelError || valueError) && (
                <p className="field-error" role="alert">
                  {labelError ?? valueError}
                </p>
              )}
              <div className="row">
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={option.hidden}
                    onChange={(event) => set(index, { hidden: event.target.checked })}
                    data-testid="option-hidden"
                  />{' '}
                  Hidden
                </label>
                <button
                  type="button"
                  className="link"
                  onClick={() => move(index, -1)}
                  disabled={index === 0}
                  aria-label={`Move option ${n} up`}
                  data-testid="option-up"
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="link"
                  onClick={() => move(index, 1)}
                  disabled={index === options.length - 1}
                  aria-label={`Move option ${n} down`}
                  data-testid="option-down"
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="link danger"
                  onClick={() => onChange(options.filter((_, at) => at !== index))}
                  aria-label={`Remove option ${n}`}
                  data-testid="option-remove"
                >
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="link"
        onClick={() => onChange([...options, { label: '', value: '', hidden: false }])}
        data-testid="option-add"
      >
        Add option
      </button>
    </fieldset>
  );
}
