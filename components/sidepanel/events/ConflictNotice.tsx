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
  return (
    <section className="conflict" aria-labelledby="conflict-title" data-testid="conflict">
      <h3 id="conflict-title">Changed elsewhere while you edited</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Was</th>
            <th scope="col">Now on the server</th>
            <th scope="col">Yours</th>
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
          Keep mine
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={onTakeTheirs}
          disabled={busy}
          data-testid="conflict-take-theirs"
        >
          Take theirs
        </button>
      </div>
    </section>
  );
}
