import { useId, useState, type FormEvent } from 'react';
import type { DefinitionUpdate } from '@/lib/messaging';
import { LIMITS, type EventDefinition } from '@/lib/shared';
import { useEventsStore } from './useEventsStore';

/**
 * Edits an event's label and description (its internal name and primary object are immutable).
 * Enter saves, Esc cancels; the server's answer (a field error, or a newer version elsewhere)
 * shows under the event.
 */
export function EventEditForm({ definition, onDone }: { definition: EventDefinition; onDone: () => void }) {
  const id = useId();
  const [label, setLabel] = useState(definition.label);
  const [description, setDescription] = useState(definition.description ?? '');
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const update = useEventsStore((state) => state.update);

  const trimmed = label.trim();
  const labelError =
    trimmed === ''
      ? 'Enter a label'
      : trimmed.length > LIMITS.labelMaxLength
        ? `At most ${LIMITS.labelMaxLength} characters`
        : undefined;
  const changes: DefinitionUpdate['changes'] = {
    ...(trimmed !== definition.label ? { label: trimmed } : {}),
    ...(description !== (definition.description ?? '') ? { description: description || null } : {}),
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (labelError || saving) return;
    if (Object.keys(changes).length === 0 || (await update(definition, changes))) onDone();
  };

  return (
    <form
      className="stack"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => event.key === 'Escape' && onDone()}
      data-testid="event-edit-form"
    >
      <label htmlFor={`${id}-label`}>Label</label>
      <input
        id={`${id}-label`}
        value={label}
        onChange={(event) => setLabel(event.target.value)}
        aria-invalid={Boolean(labelError)}
        aria-describedby={labelError ? `${id}-label-error` : undefined}
        autoFocus
        data-testid="event-label"
      />
      {labelError && (
        <p className="field-error" id={`${id}-label-error`}>
          {labelError}
        </p>
      )}
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea
        id={`${id}-description`}
        value={description}
        onChange={(event) => setDescription(event.target.value)}
        maxLength={LIMITS.descriptionMaxLength}
        rows={2}
        data-testid="event-description"
      />
      <p className="muted">
        Internal name <code>{definition.name}</code> and primary object {definition.primaryObject.toLowerCase()} stay as
        they are.
      </p>
      <div className="row">
        <button type="submit" className="button" disabled={saving || Boolean(labelError)} data-testid="event-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button secondary" onClick={onDone} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
