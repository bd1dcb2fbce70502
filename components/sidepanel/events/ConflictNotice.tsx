import { useId } from 'react';
import { t } from '@/lib/i18n';

export interface ConflictRow {
  field: string;
  label: string;
  /** As the user first saw it, as they have it now, and as the server has it now. */
  base: string;
  mine: string;
  theirs: string;
}

/**
 * Someone saved the event while the user was editing it: what changed, field by field, and the
 * user's choice — keep theirs (apply it over the new version) or take the other. Nothing is
 * overwritten until they choose.
 */
export function ConflictNotice({
  rows,
  onKeepMine,
  onTakeTheirs,
  busy,
}: {
  rows: ConflictRow[];
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  busy: boolean;
}) {
  const titleId = useId();
  return (
    <section className="conflict" aria-labelledby={titleId} data-testid="conflict">
      <h3 id={titleId}>{t('events.conflict.title')}</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('events.conflict.field')}</th>
            <th scope="col">{t('events.conflict.was')}</th>
            <th scope="col">{t('events.conflict.theirs')}</th>
            <th scope="col">{t('events.conflict.mine')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.field} data-testid={`conflict-${row.field}`}>
              <th scope="row">{row.label}</th>
              <td>{row.base || '—'}</td>
              <td data-testid="conflict-theirs">{row.theirs || '—'}</td>
              <td data-testid="conflict-mine">{row.mine || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" className="button" onClick={onKeepMine} disabled={busy} data-testid="conflict-keep-mine">
          {t('events.conflict.keepMine')}
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={onTakeTheirs}
          disabled={busy}
          data-testid="conflict-take-theirs"
        >
          {t('events.conflict.takeTheirs')}
        </button>
      </div>
    </section>
  );
}
