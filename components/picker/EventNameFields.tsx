import { t } from '@/lib/i18n';
import { useEffect, useId, useRef } from 'react';
import type { EventNameForm } from './useEventNameForm';

/** Event name (label) and optional internal name inputs, with their errors. */
export function EventNameFields({ form }: { form: EventNameForm }) {
  const ids = useId();
  const label = useRef<HTMLInputElement>(null);
  // The name field takes the focus once the panel is on screen, not while it is being shown:
  // focusing forces the page's style and layout in the middle of the pick (bench:picker).
  useEffect(() => {
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => label.current?.focus());
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return (
    <>
      <label htmlFor={`${ids}-label`}>{t('picker.eventName')}</label>
      <input
        ref={label}
        id={`${ids}-label`}
        data-testid="picker-label"
        value={form.label}
        maxLength={100}
        onFocus={(event) => event.currentTarget.select()}
        onChange={(event) => form.setLabel(event.target.value)}
        aria-invalid={form.labelError ? true : undefined}
      />
      {form.labelError && <p className="ct-field-error">{form.labelError}</p>}

      <label htmlFor={`${ids}-name`}>{t('picker.internalName')}</label>
      <input
        id={`${ids}-name`}
        data-testid="picker-name"
        value={form.name}
        maxLength={50}
        placeholder={form.derived ?? t('picker.internalNameExample')}
        onChange={(event) => form.setName(event.target.value)}
        aria-invalid={form.nameError ? true : undefined}
      />
      {form.nameError && <p className="ct-field-error">{form.nameError}</p>}
    </>
  );
}

/** The general error of the last save, if any. */
export function FormError({ form }: { form: EventNameForm }) {
  if (!form.formError) return null;
  return (
    <p className="ct-error" role="alert" data-testid="picker-error">
      {form.formError}
    </p>
  );
}
