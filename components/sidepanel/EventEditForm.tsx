import { useId, type FormEvent } from 'react';
import type { DefinitionUpdate } from '@/lib/messaging';
import { LIMITS, type EventDefinition } from '@/lib/shared';
import { ConflictNotice } from './events/ConflictNotice';
import { draftKeys } from './events/useDraftsStore';
import { useDraftForm } from './events/useDraftForm';
import { useEventsStore } from './useEventsStore';

const FIELD_LABELS = { label: 'Label', description: 'Description' } as const;

/**
 * Edits an event's label and description (its internal name and primary object are immutable).
 * Enter saves, Esc cancels. What the user types is kept as a draft until saved or cancelled; if
 * the event changed elsewhere meanwhile, the changed fields are shown side by side first.
 */
export function EventEditForm({ definition, onDone }: { definition: EventDefinition; onDone: () => void }) {
  const id = useId();
  const current = { label: definition.label, description: definition.description ?? '' };
  const form = useDraftForm(draftKeys.details(definition.name), current, definition.version, {
    eventName: definition.name,
    what: 'label and description',
  });
  const { label, description } = form.fields;
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const update = useEventsStore((state) => state.update);
  // The selector returns what the store holds: a fresh `[]` from it would be a new snapshot on every
  // render, which zustand 5 turns into an endless re-render (React error #185).
  const itemError = useEventsStore((state) => state.itemErrors[definition.name]);
  const fieldErrors = itemError?.fields ?? [];
  const serverError = (field: string) =>
    fieldErrors.find((detail) => detail.in === field || detail.in === `changes.${field}`)?.message;

  const trimmed = label.trim();
  const localLabelError =
    trimmed === ''
      ? 'Enter a label'
      : trimmed.length > LIMITS.labelMaxLength
        ? `At most ${LIMITS.labelMaxLength} characters`
        : undefined;
  const labelError = localLabelError ?? serverError('label');
  const changesOf = (fields: typeof form.fields): DefinitionUpdate['changes'] => ({
    ...(fields.label.trim() !== definition.label ? { label: fields.label.trim() } : {}),
    ...(fields.description !== (definition.description ?? '') ? { description: fields.description || null } : {}),
  });

  const save = async (fields = form.fields) => {
    if (saving || localLabelError) return;
    const changes = changesOf(fields);
    if (Object.keys(changes).length === 0 || (await update(definition, changes))) {
      form.discard();
      onDone();
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save();
  };
  const cancel = () => {
    form.discard();
    onDone();
  };

  return (
    <form
      className="stack"
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && cancel()}
      data-testid="event-edit-form"
      aria-label={`Edit ${definition.label}`}
    >
      {form.restored && form.conflicts.length === 0 && (
        <p className="muted" role="status" data-testid="draft-restored">
          Your unsaved changes are back.
        </p>
      )}
      {form.conflicts.length > 0 && (
        <ConflictNotice
          rows={form.conflicts.map((field) => ({
            field,
            label: FIELD_LABELS[field],
            base: String(form.base[field]),
            mine: form.fields[field],
            theirs: current[field],
          }))}
          busy={saving}
          onKeepMine={() => {
            void save(form.rebase());
          }}
          onTakeTheirs={form.takeTheirs}
        />
      )}
      <label htmlFor={`${id}-label`}>Label</label>
      <input
        id={`${id}-label`}
        value={label}
        onChange={(event) => form.update({ ...form.fields, label: event.target.value })}
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
        onChange={(event) => form.update({ ...form.fields, description: event.target.value })}
        maxLength={LIMITS.descriptionMaxLength}
        rows={2}
        aria-describedby={serverError('description') ? `${id}-description-error` : undefined}
        data-testid="event-description"
      />
      {serverError('description') && (
        <p className="field-error" id={`${id}-description-error`}>
          {serverError('description')}
        </p>
      )}
      <p className="muted">
        Internal name <code>{definition.name}</code> and primary object {definition.primaryObject.toLowerCase()} stay as
        they are.
      </p>
      <div className="row">
        <button type="submit" className="button" disabled={saving || Boolean(localLabelError)} data-testid="event-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button secondary" onClick={cancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
