import { useEffect, useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import type { ImportStatus } from '@/lib/shared';
import { downloadText } from '../analytics/download';

const POLL_MS = 1000;
const FINISHED = new Set<ImportStatus['status']>(['COMPLETED', 'FAILED', 'CANCELLED']);
const number = new Intl.NumberFormat();

function eta(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * Step 3 of the import wizard: follows a started import (polling its status; the id is kept in
 * extension storage, so this resumes when the panel is opened again), offers cancel and roll back
 * with confirmation, then shows the result with the error report.
 */
export function ImportProgress({ id, onDone }: { id: string; onDone: () => void }) {
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<MessageErrorData | null>(null);
  const [confirm, setConfirm] = useState<'cancel' | 'rollback' | null>(null);
  const [busy, setBusy] = useState(false);
  const finished = status !== null && FINISHED.has(status.status);

  useEffect(() => {
    if (finished) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await sendToBackground('imports/status', { id });
        if (!current) return;
        setStatus(next);
        setError(null);
        if (FINISHED.has(next.status)) return;
      } catch (failure) {
        if (!current) return;
        setError(errorDataOf(failure));
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [id, finished]);

  const cancel = async (rollback: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setStatus(await sendToBackground('imports/cancel', { id, rollback }));
      setConfirm(null);
    } catch (failure) {
      setError(errorDataOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const downloadErrors = async () => {
    setBusy(true);
    setError(null);
    try {
      const report = await sendToBackground('imports/errors', { id });
      downloadText(report.fileName, report.csv);
    } catch (failure) {
      setError(errorDataOf(failure));
    } finally {
      setBusy(false);
    }
  };

  if (!status) {
    return (
      <section className="stack" aria-label="Import progress">
        <ErrorMessage error={error} />
        {!error && (
          <p className="muted" role="status">
            Loading the import…
          </p>
        )}
        {error && (
          <button type="button" className="link" onClick={onDone}>
            Forget this import and start another
          </button>
        )}
      </section>
    );
  }

  const rollingBack = status.status === 'CANCELLING';
  return (
    <section className="stack" aria-label="Import progress" data-testid="import-progress">
      <p>
        <strong>{status.fileName}</strong>
        {status.eventName && <span className="muted"> into {status.eventName}</span>}{' '}
        <span className="badge" data-testid="import-status">
          {status.rolledBack ? 'ROLLED BACK' : status.status}
        </span>
      </p>
      {!finished && (
        <div className="import-progress">
          <progress max={1} value={status.progress} aria-label="Import progress" data-testid="import-bar" />
          <span className="muted">{Math.round(status.progress * 100)}%</span>
        </div>
      )}
      <p role="status" aria-live="polite" data-testid="import-counts">
        {finished
          ? `Imported ${number.format(status.rowsImported)} ${status.rowsImported === 1 ? 'event' : 'events'}, rejected ${number.format(status.rowsRejected)} ${status.rowsRejected === 1 ? 'row' : 'rows'}.`
          : `${number.format(status.rowsRead)} rows read · ${number.format(status.rowsImported)} imported · ${number.format(status.rowsRejected)} rejected`}
        {!finished && status.rowsPerSecond > 0 && ` · ${number.format(status.rowsPerSecond)} rows/s`}
        {!finished && status.etaSeconds !== undefined && ` · about ${eta(status.etaSeconds)} left`}
      </p>
      {status.rolledBack && <p className="muted">Its events were removed.</p>}
      {status.error && <p className="field-error">{status.error}</p>}
      <ErrorMessage error={error} />
      {confirm && (
        <div
          className="confirm"
          role="alertdialog"
          aria-label={confirm === 'cancel' ? 'Cancel the import' : 'Roll back the import'}
        >
          {confirm === 'cancel' ? (
            <>
              <p>Stop this import? Rows not read yet are not imported. You can also remove what it imported so far.</p>
              <div className="row">
                <button
                  type="button"
                  className="button"
                  autoFocus
                  disabled={busy}
                  onClick={() => void cancel(false)}
                  data-testid="import-cancel-keep"
                >
                  Stop, keep imported events
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void cancel(true)}
                  data-testid="import-cancel-rollback"
                >
                  Stop and remove them
                </button>
                <button type="button" className="button secondary" disabled={busy} onClick={() => setConfirm(null)}>
                  Keep importing
                </button>
              </div>
            </>
          ) : (
            <>
              <p>
                Remove the {number.format(status.rowsImported)} events this import stored? This cannot be undone; the
                error report stays.
              </p>
              <div className="row">
                <button
                  type="button"
                  className="button"
                  autoFocus
                  disabled={busy}
                  onClick={() => void cancel(true)}
                  data-testid="import-rollback-confirm"
                >
                  {busy ? 'Removing…' : 'Remove them'}
                </button>
                <button type="button" className="button secondary" disabled={busy} onClick={() => setConfirm(null)}>
                  Keep them
                </button>
              </div>
            </>
          )}
        </div>
      )}
      <div className="actions">
        {!finished && !rollingBack && (
          <button
            type="button"
            className="link danger"
            onClick={() => setConfirm('cancel')}
            data-testid="import-cancel"
          >
            Cancel import…
          </button>
        )}
        {status.rowsRejected > 0 && (
          <button
            type="button"
            className="link"
            disabled={busy}
            onClick={() => void downloadErrors()}
            data-testid="import-errors"
          >
            Download error report (errors.csv)
          </button>
        )}
        {finished && !status.rolledBack && status.rowsImported > 0 && status.status !== 'FAILED' && (
          <button
            type="button"
            className="link danger"
            onClick={() => setConfirm('rollback')}
            data-testid="import-rollback"
          >
            Roll back…
          </button>
        )}
        {finished && (
          <button type="button" className="link" onClick={onDone} data-testid="import-new">
            Import another file
          </button>
        )}
      </div>
    </section>
  );
}
