import { t } from '@/lib/i18n';
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
      <legend>{t('events.property.options')}</legend>
      {options.length === 0 && <p className="muted">{t('events.option.noneYet')}</p>}
      <ol>
        {options.map((option, index) => {
          const n = index + 1;
          const labelError = errorAt(index, 'label');
          const valueError = errorAt(index, 'value');
          return (
            <li key={index} data-testid={`option-${index}`} className={option.hidden ? 'hidden-option' : undefined}>
              <div className="option-row">
                <input
                  aria-label={t('events.option.label', { n })}
                  value={option.label}
                  onChange={(event) => set(index, { label: event.target.value })}
                  aria-invalid={Boolean(labelError)}
                  data-testid="option-label"
                />
                <input
                  aria-label={t('events.option.value', { n })}
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
                  {t('events.option.hidden')}
                </label>
                <button
                  type="button"
                  className="link"
                  onClick={() => move(index, -1)}
                  disabled={index === 0}
                  aria-label={t('events.option.up', { n })}
                  data-testid="option-up"
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="link"
                  onClick={() => move(index, 1)}
                  disabled={index === options.length - 1}
                  aria-label={t('events.option.down', { n })}
                  data-testid="option-down"
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="link danger"
                  onClick={() => onChange(options.filter((_, at) => at !== index))}
                  aria-label={t('events.option.remove', { n })}
                  data-testid="option-remove"
                >
                  {t('events.option.removeShort')}
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
        {t('events.option.add')}
      </button>
    </fieldset>
  );
}
