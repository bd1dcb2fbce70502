import { useId, type FormEvent } from 'react';
import { Rich } from '@/components/common/Rich';
import { t, tParts } from '@/lib/i18n';
import type { DefinitionUpdate } from '@/lib/messaging';
import { LIMITS, type EventDefinition } from '@/lib/shared';
import { DraftNotice } from './events/DraftNotice';
import { draftKeys } from './events/useDraftsStore';
import { useDraftForm } from './events/useDraftForm';
import { useEventsStore } from './useEventsStore';

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
    what: t('events.draft.whatDetails'),
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
      ? t('events.edit.labelEmpty')
      : trimmed.length > LIMITS.labelMaxLength
        ? t('events.edit.labelTooLong', { max: LIMITS.labelMaxLength })
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
      aria-label={t('events.edit.formLabel', { label: definition.label })}
    >
      <DraftNotice
        form={form}
        current={current}
        labels={{ label: t('events.edit.label'), description: t('events.edit.description') }}
        show={(_field, value) => value}
        busy={saving}
        onKeepMine={(fields) => void save(fields)}
      />
      <label htmlFor={`${id}-label`}>{t('events.edit.label')}</label>
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
      <label htmlFor={`${id}-description`}>{t('events.edit.description')}</label>
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
        <Rich
          parts={tParts('events.edit.immutable', {
            name: <code key="name">{definition.name}</code>,
            object: t(`events.object.${definition.primaryObject}`),
          })}
        />
      </p>
      <div className="row">
        <button type="submit" className="button" disabled={saving || Boolean(localLabelError)} data-testid="event-save">
          {saving ? t('common.saving') : t('events.edit.save')}
        </button>
        <button type="button" className="button secondary" onClick={cancel} disabled={saving}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
