import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { cancelPicking, restartPicking, savePicked, type UrlScope } from '@/lib/picker/controller';
import type { Picked } from '@/lib/picker/picker-store';
import type { MessageErrorData } from '@/lib/messaging';
import { deriveEventName, eventNameSchema } from '@/lib/shared';

interface Props {
  picked: Picked;
  saving: boolean;
  error: MessageErrorData | null;
}

/** After a pick: shows what was picked and how robust its selector is, and names the event. */
export function NamingPanel({ picked, saving, error }: Props) {
  const [label, setLabel] = useState(picked.suggestedLabel);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<UrlScope>('page');
  const [touched, setTouched] = useState(false);
  const ids = useId();

  // What was submitted last: the server's field errors apply only while the fields still hold it.
  const [submitted, setSubmitted] = useState<{ label: string; name: string } | null>(null);
  const unchanged = submitted?.label === label && submitted.name === name;
  const serverError = (field: string) => (unchanged ? fieldError(error, field) : undefined);

  const derived = deriveEventName(label);
  const nameCheck = name ? eventNameSchema.safeParse(name) : null;
  const localLabelError = touched && !label.trim() ? 'Give the event a name.' : undefined;
  const localNameError =
    (nameCheck && !nameCheck.success ? nameCheck.error.issues[0]?.message : undefined) ??
    (!name && label.trim() && !derived
      ? 'Enter an internal name: the label has no letters to derive one from.'
      : undefined);
  const labelError = localLabelError ?? serverError('label');
  const nameError = localNameError ?? serverError('name');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!label.trim() || localNameError) return;
    setSubmitted({ label, name });
    void savePicked({ label: label.trim(), name: name || undefined, scope });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      cancelPicking();
    }
  };
  const { trigger } = picked;

  return (
    <form className="ct-panel" data-testid="picker-panel" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <h2 className="ct-title">Track clicks on {picked.label}</h2>
      <div className="ct-selector">
        <code data-testid="picker-selector">{trigger.selector}</code>
        <span className={`ct-badge ct-${trigger.quality}`} data-testid="picker-quality">
          {trigger.quality}
        </span>
      </div>
      <p className="ct-muted" data-testid="picker-match-count">
        Matches {picked.matchCount} element{picked.matchCount === 1 ? '' : 's'} on this page
        {trigger.reasons.length > 0 ? ` · ${trigger.reasons.join(', ')}` : ''}
      </p>

      <label htmlFor={`${ids}-label`}>Event name</label>
      <input
        id={`${ids}-label`}
        data-testid="picker-label"
        value={label}
        maxLength={100}
        autoFocus
        onFocus={(event) => event.currentTarget.select()}
        onChange={(event) => setLabel(event.target.value)}
        aria-invalid={labelError ? true : undefined}
      />
      {labelError && <p className="ct-field-error">{labelError}</p>}

      <label htmlFor={`${ids}-name`}>Internal name</label>
      <input
        id={`${ids}-name`}
        data-testid="picker-name"
        value={name}
        maxLength={50}
        placeholder={derived ?? 'e.g. add_to_cart'}
        onChange={(event) => setName(event.target.value)}
        aria-invalid={nameError ? true : undefined}
      />
      {nameError && <p className="ct-field-error">{nameError}</p>}

      <label htmlFor={`${ids}-scope`}>Track on</label>
      <select
        id={`${ids}-scope`}
        data-testid="picker-scope"
        value={scope}
        onChange={(event) => setScope(event.target.value as UrlScope)}
      >
        <option value="page">This page only ({window.location.pathname})</option>
        <option value="site">Every page of this site</option>
      </select>

      {error && unchanged && !fieldError(error, 'label') && !fieldError(error, 'name') && (
        <p className="ct-error" role="alert" data-testid="picker-error">
          {error.message}
        </p>
      )}

      <div className="ct-actions">
        <button type="button" className="ct-button ct-secondary" onClick={cancelPicking} disabled={saving}>
          Cancel
        </button>
        <button type="button" className="ct-button ct-secondary" onClick={restartPicking} disabled={saving}>
          Pick again
        </button>
        <button type="submit" className="ct-button" data-testid="picker-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save event'}
        </button>
      </div>
    </form>
  );
}

function fieldError(error: MessageErrorData | null, field: string): string | undefined {
  return error?.fields?.find((detail) => detail.in === field)?.message;
}
