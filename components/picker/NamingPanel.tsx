import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { cancelPicking, restartPicking, saveDefinition, urlRuleFor, type UrlScope } from '@/lib/picker/controller';
import type { Picked } from '@/lib/picker/picker-store';
import type { MessageErrorData } from '@/lib/messaging';
import { EventNameFields, FormError } from './EventNameFields';
import { useEventNameForm } from './useEventNameForm';

interface Props {
  picked: Picked;
  saving: boolean;
  error: MessageErrorData | null;
}

/** Esc anywhere in a picker form closes it without saving. */
export function cancelOnEscape(event: KeyboardEvent): void {
  if (event.key === 'Escape') {
    event.preventDefault();
    cancelPicking();
  }
}

/** After a pick: shows what was picked and how robust its selector is, and names the event. */
export function NamingPanel({ picked, saving, error }: Props) {
  const form = useEventNameForm(picked.suggestedLabel, error);
  const [scope, setScope] = useState<UrlScope>('page');
  const ids = useId();
  const { trigger } = picked;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const names = form.submit();
    if (!names) return;
    void saveDefinition({
      ...names,
      trackingType: 'CLICKED_ELEMENT',
      trigger: { kind: 'click', element: trigger, url: urlRuleFor(scope, window.location) },
    });
  };

  return (
    <form className="ct-panel" data-testid="picker-panel" onSubmit={submit} onKeyDown={cancelOnEscape} noValidate>
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

      <EventNameFields form={form} />

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

      <FormError form={form} />
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
