import { useEffect, useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import { formatNumber, t, tp, type PlainKey } from '@/lib/i18n';
import type { ImportStatus, ImportStatusValue } from '@/lib/shared';
import { downloadText } from '../analytics/download';

const POLL_MS = 1000;
const FINISHED = new Set<ImportStatus['status']>(['COMPLETED', 'FAILED', 'CANCELLED']);
const number = (value: number) => formatNumber(value);

const STATUS_TEXT: Record<ImportStatusValue, PlainKey> = {
  UPLOADED: 'imports.status.uploaded',
  QUEUED: 'imports.status.queued',
  RUNNING: 'imports.status.running',
  COMPLETED: 'imports.status.completed',
  FAILED: 'imports.status.failed',
  CANCELLING: 'imports.status.cancelling',
  CANCELLED: 'imports.status.cancelled',
};

/** Time left, in the unit that reads best ("40 s", "12 min", "1.5 h"), as the locale writes units. */
function eta(seconds: number): string {
  const unit = (value: number, name: 'second' | 'minute' | 'hour', digits = 0) =>
    formatNumber(value, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits });
  if (seconds < 60) return unit(seconds, 'second');
  if (seconds < 3600) return unit(Math.round(seconds / 60), 'minute');
  return unit(seconds / 3600, 'hour', 1);
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
      <section className="stack" aria-label={t('imports.progressLabel')}>
        <ErrorMessage error={error} />
        {!error && (
          <p className="muted" role="status">
            {t('imports.loadingImport')}
          </p>
        )}
        {error && (
          <button type="button" className="link" onClick={onDone}>
            {t('imports.forget')}
          </button>
        )}
      </section>
    );
  }

  const rollingBack = status.status === 'CANCELLING';
  return (
    <section className="stack" aria-label={t('imports.progressLabel')} data-testid="import-progress">
      <p>
        <strong>{status.fileName}</strong>
        {status.eventName && <span className="muted"> {t('imports.into', { event: status.eventName })}</span>}{' '}
        <span className="badge" data-testid="import-status">
          {t(status.rolledBack ? 'imports.status.rolledBack' : STATUS_TEXT[status.status])}
        </span>
      </p>
      {!finished && (
        <div className="import-progress">
          <progress max={1} value={status.progress} aria-label={t('imports.progressLabel')} data-testid="import-bar" />
          <span className="muted">{formatNumber(status.progress, { style: 'percent' })}</span>
        </div>
      )}
      <p role="status" aria-live="polite" data-testid="import-counts">
        {finished
          ? tp('imports.result', status.rowsImported, { rejected: tp('imports.rejectedRows', status.rowsRejected) })
          : t('imports.running', {
              read: number(status.rowsRead),
              imported: number(status.rowsImported),
              rejected: number(status.rowsRejected),
            })}
        {!finished && status.rowsPerSecond > 0 && ` · ${t('imports.rate', { rate: number(status.rowsPerSecond) })}`}
        {!finished && status.etaSeconds !== undefined && ` · ${t('imports.eta', { time: eta(status.etaSeconds) })}`}
      </p>
      {status.rolledBack && <p className="muted">{t('imports.removed')}</p>}
      {status.error && <p className="field-error">{status.error}</p>}
      <ErrorMessage error={error} />
      {confirm && (
        <div
          className="confirm"
          role="alertdialog"
          aria-label={confirm === 'cancel' ? t('imports.cancelLabel') : t('imports.rollbackLabel')}
        >
          {confirm === 'cancel' ? (
            <>
              <p>{t('imports.cancelConfirm')}</p>
              <div className="row">
                <button
                  type="button"
                  className="button"
                  autoFocus
                  disabled={busy}
                  onClick={() => void cancel(false)}
                  data-testid="import-cancel-keep"
                >
                  {t('imports.stopKeep')}
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void cancel(true)}
                  data-testid="import-cancel-rollback"
                >
                  {t('imports.stopRemove')}
                </button>
                <button type="button" className="button secondary" disabled={busy} onClick={() => setConfirm(null)}>
                  {t('imports.keepImporting')}
                </button>
              </div>
            </>
          ) : (
            <>
              <p>{tp('imports.rollbackConfirm', status.rowsImported)}</p>
              <div className="row">
                <button
                  type="button"
                  className="button"
                  autoFocus
                  disabled={busy}
                  onClick={() => void cancel(true)}
                  data-testid="import-rollback-confirm"
                >
                  {busy ? t('customCode.removing') : t('imports.removeThem')}
                </button>
                <button type="button" className="button secondary" disabled={busy} onClick={() => setConfirm(null)}>
                  {t('imports.keepThem')}
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
            {t('imports.cancel')}
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
            {t('imports.downloadErrors')}
          </button>
        )}
        {finished && !status.rolledBack && status.rowsImported > 0 && status.status !== 'FAILED' && (
          <button
            type="button"
            className="link danger"
            onClick={() => setConfirm('rollback')}
            data-testid="import-rollback"
          >
            {t('imports.rollback')}
          </button>
        )}
        {finished && (
          <button type="button" className="link" onClick={onDone} data-testid="import-new">
            {t('imports.another')}
          </button>
        )}
      </div>
    </section>
  );
}
