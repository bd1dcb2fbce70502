import { t } from '@/lib/i18n';
import { useState } from 'react';
import type { MessageErrorData } from '@/lib/messaging';
import { deriveEventName, eventNameSchema, LIMITS } from '@/lib/shared';

function fieldError(error: MessageErrorData | null, field: string): string | undefined {
  return error?.fields?.find((detail) => detail.in === field)?.message;
}

/** The shared name schema's verdict (its messages are the server's English) in the user's words. */
function nameProblem(code: string | undefined): string {
  return code === 'too_big' ? t('picker.name.tooLong', { max: LIMITS.eventNameMaxLength }) : t('picker.name.pattern');
}

/**
 * The label + internal-name part of the picker's forms: local validation as the user types, and
 * the server's field errors for as long as the fields still hold what was submitted.
 */
export function useEventNameForm(initialLabel: string, error: MessageErrorData | null) {
  const [label, setLabel] = useState(initialLabel);
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [submitted, setSubmitted] = useState<{ label: string; name: string } | null>(null);
  const unchanged = submitted?.label === label && submitted.name === name;
  const serverError = (field: string) => (unchanged ? fieldError(error, field) : undefined);

  const derived = deriveEventName(label);
  const nameCheck = name ? eventNameSchema.safeParse(name) : null;
  const localNameError =
    (nameCheck && !nameCheck.success ? nameProblem(nameCheck.error.issues[0]?.code) : undefined) ??
    (!name && label.trim() && !derived ? t('picker.name.underivable') : undefined);

  return {
    label,
    setLabel,
    name,
    setName,
    derived,
    labelError: (touched && !label.trim() ? t('picker.name.empty') : undefined) ?? serverError('label'),
    nameError: localNameError ?? serverError('name'),
    /** A general (non-field) error of the last save, while nothing was edited since. */
    formError:
      error && unchanged && !fieldError(error, 'label') && !fieldError(error, 'name') ? error.message : undefined,
    /** Validates for a submit; returns the values to save, or undefined when something is wrong. */
    submit: (): { label: string; name?: string } | undefined => {
      setTouched(true);
      if (!label.trim() || localNameError) return undefined;
      setSubmitted({ label, name });
      return { label: label.trim(), ...(name ? { name } : {}) };
    },
  };
}

export type EventNameForm = ReturnType<typeof useEventNameForm>;
