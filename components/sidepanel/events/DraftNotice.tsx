import { t } from '@/lib/i18n';
import { ConflictNotice } from './ConflictNotice';
import type { DraftForm } from './useDraftForm';

/**
 * What a form with a draft says above its fields: that the user's unsaved input is back, or —
 * when the event changed elsewhere meanwhile — the changed fields side by side, with "keep mine"
 * (saved over the new version) and "take theirs".
 */
export function DraftNotice<T extends Record<string, unknown>>({
  form,
  current,
  labels,
  show,
  busy,
  onKeepMine,
}: {
  form: DraftForm<T>;
  /** The fields as the server has them now. */
  current: T;
  labels: Record<keyof T & string, string>;
  /** A field's value as one line of text, for the side-by-side table. */
  show: (field: keyof T & string, value: T[keyof T]) => string;
  busy: boolean;
  /** Saves the fields `form.rebase()` returns. */
  onKeepMine: (fields: T) => void;
}) {
  if (form.conflicts.length === 0) {
    return form.restored ? (
      <p className="muted" role="status" data-testid="draft-restored">
        {t('events.draft.restored')}
      </p>
    ) : null;
  }
  return (
    <ConflictNotice
      rows={form.conflicts.map((field) => ({
        field,
        label: labels[field],
        base: show(field, form.base[field]),
        mine: show(field, form.fields[field]),
        theirs: show(field, current[field]),
      }))}
      busy={busy}
      onKeepMine={() => onKeepMine(form.rebase())}
      onTakeTheirs={form.takeTheirs}
    />
  );
}
