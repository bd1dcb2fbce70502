import { useId, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import { formatNumber, t, tParts } from '@/lib/i18n';
import { sendToBackground } from '@/lib/messaging';
import { LIMITS, type EventDefinition } from '@/lib/shared';
import { checkCustomCode } from '@/lib/shared/custom-code-check';
import { customCodeSnippet } from '@/lib/shared/custom-code-snippet';
import { useEventsStore } from '../useEventsStore';
import { Rich } from '../../common/Rich';
import { CodeEditor } from './CodeEditor';
import { CodeHistory } from './CodeHistory';
import { useCustomCodeStore } from './useCustomCodeStore';

function byteLength(code: string): number {
  return new TextEncoder().encode(code).length;
}

/** The tracker's JS API object, as custom code sees it (code, not language). */
const TRACKER_GLOBAL = 'clicktrail';
const TRACK_CALL = `${TRACKER_GLOBAL}.track`;

/** Bytes as kilobytes with one decimal, in the user's locale. */
const kilobytes = (bytes: number) => formatNumber(bytes / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * Edits the JavaScript of a custom-script event: it starts from the generated `clicktrail.track`
 * call with every property of the event, is checked with the server's own parser as you type, and
 * is saved against the version the user saw (a change made elsewhere is never overwritten).
 */
export function CustomCodeForm({ definition, onDone }: { definition: EventDefinition; onDone: () => void }) {
  const id = useId();
  const snippet = customCodeSnippet(definition);
  const saved = definition.customCode ?? '';
  const [code, setCode] = useState(saved || snippet);
  const [confirm, setConfirm] = useState<'discard' | 'remove' | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const [dryRun, setDryRun] = useState<{ running: boolean; message: string | null; failed: boolean }>({
    running: false,
    message: null,
    failed: false,
  });
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const update = useEventsStore((state) => state.update);
  const loadHistory = useCustomCodeStore((state) => state.loadHistory);

  const problem = checkCustomCode(code);
  const bytes = byteLength(code);
  const tooBig = bytes > LIMITS.customCodeMaxBytes;
  const changed = code !== saved;

  const save = async (changes: { customCode: string | null }) => {
    if (await update(definition, changes)) {
      void loadHistory(definition.name);
      onDone();
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem || tooBig || saving || !changed) return;
    void save({ customCode: code });
  };
  const cancel = () => (changed ? setConfirm('discard') : onDone());

  /** Runs the code as it is in the editor on the page in front, through test mode; sends nothing. */
  const runOnPage = async () => {
    setDryRun({ running: true, message: null, failed: false });
    try {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined) throw new Error(t('popup.errors.noTab'));
      const result = await sendToBackground('custom-code/dry-run', { tabId: tab.id, label: definition.label, code });
      setDryRun(
        result.error
          ? { running: false, message: t('customCode.dryRunThrew', { error: result.error }), failed: true }
          : {
              running: false,
              message: t('customCode.dryRunDone'),
              failed: false,
            },
      );
    } catch (error) {
      setDryRun({
        running: false,
        message: error instanceof Error ? error.message : t('customCode.dryRunFailed'),
        failed: true,
      });
    }
  };

  return (
    <form
      className="stack"
      onSubmit={submit}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        if (confirm) setConfirm(null);
        else cancel();
      }}
      aria-label={t('customCode.formLabel', { label: definition.label })}
      data-testid="custom-code-form"
    >
      <p className="muted">
        <Rich
          parts={tParts('customCode.intro', {
            clicktrail: <code>{TRACKER_GLOBAL}</code>,
            track: <code>{TRACK_CALL}</code>,
          })}
        />
      </p>
      <CodeEditor value={code} onChange={setCode} label={t('customCode.editorLabel')} describedBy={`${id}-status`} />
      <p
        id={`${id}-status`}
        className={problem || tooBig ? 'field-error' : 'muted'}
        aria-live="polite"
        data-testid="code-status"
      >
        {problem
          ? t('customCode.parseError', {
              line: formatNumber(problem.line),
              column: formatNumber(problem.column),
              message: problem.message,
            })
          : tooBig
            ? t('customCode.tooBig', { size: kilobytes(bytes), max: formatNumber(LIMITS.customCodeMaxBytes / 1024) })
            : t('customCode.valid', { size: kilobytes(bytes), max: formatNumber(LIMITS.customCodeMaxBytes / 1024) })}
      </p>
      <div className="row">
        <button
          type="button"
          className="link"
          onClick={() => setCode(code.trim() ? `${code.replace(/\s*$/, '')}\n${snippet}\n` : snippet)}
          data-testid="insert-snippet"
        >
          {t('customCode.insertSnippet')}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => void runOnPage()}
          disabled={Boolean(problem) || tooBig || dryRun.running}
          data-testid="code-dry-run"
        >
          {dryRun.running ? t('customCode.running') : t('customCode.runOnPage')}
        </button>
        <button type="button" className="link" onClick={() => setShowHistory(!showHistory)} aria-expanded={showHistory}>
          {showHistory ? t('customCode.hideHistory') : t('customCode.history')}
        </button>
      </div>
      {dryRun.message && (
        <p className={dryRun.failed ? 'field-error' : 'muted'} role="status" data-testid="code-dry-run-result">
          {dryRun.message}
        </p>
      )}
      {showHistory && <CodeHistory name={definition.name} onRestore={setCode} />}
      {confirm === 'discard' && (
        <div className="confirm" role="alertdialog" aria-label={t('customCode.discardLabel')}>
          <p>{t('customCode.discardConfirm')}</p>
          <div className="row">
            <button type="button" className="button" autoFocus onClick={onDone}>
              {t('customCode.discard')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirm(null)}>
              {t('customCode.keepEditing')}
            </button>
          </div>
        </div>
      )}
      {confirm === 'remove' && (
        <div className="confirm" role="alertdialog" aria-label={t('customCode.removeLabel')}>
          <p>{t('customCode.removeConfirm')}</p>
          <div className="row">
            <button
              type="button"
              className="button"
              autoFocus
              disabled={saving}
              onClick={() => void save({ customCode: null })}
              data-testid="remove-code-confirm"
            >
              {saving ? t('customCode.removing') : t('customCode.remove')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirm(null)} disabled={saving}>
              {t('sidepanel.keepIt')}
            </button>
          </div>
        </div>
      )}
      <div className="row">
        <button
          type="submit"
          className="button"
          disabled={saving || Boolean(problem) || tooBig || !changed}
          data-testid="code-save"
        >
          {saving ? t('common.saving') : t('customCode.save')}
        </button>
        <button type="button" className="button secondary" onClick={cancel} disabled={saving}>
          {t('common.cancel')}
        </button>
        {definition.customCode !== undefined && (
          <button
            type="button"
            className="link danger"
            onClick={() => setConfirm('remove')}
            disabled={saving}
            data-testid="remove-code"
          >
            {t('customCode.removeLabel')}
          </button>
        )}
      </div>
    </form>
  );
}
