import { useId, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import { sendToBackground } from '@/lib/messaging';
import { LIMITS, type EventDefinition } from '@/lib/shared';
import { checkCustomCode } from '@/lib/shared/custom-code-check';
import { customCodeSnippet } from '@/lib/shared/custom-code-snippet';
import { useEventsStore } from '../useEventsStore';
import { CodeEditor } from './CodeEditor';
import { CodeHistory } from './CodeHistory';
import { useCustomCodeStore } from './useCustomCodeStore';

function byteLength(code: string): number {
  return new TextEncoder().encode(code).length;
}

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
      if (tab?.id === undefined) throw new Error('Open your website in a tab first.');
      const result = await sendToBackground('custom-code/dry-run', { tabId: tab.id, label: definition.label, code });
      setDryRun(
        result.error
          ? { running: false, message: `The code threw when it ran: ${result.error}`, failed: true }
          : {
              running: false,
              message:
                'Ran once on the page in front, with test mode on: what it tracks shows there (nothing is sent). Reload the page to undo it.',
              failed: false,
            },
      );
    } catch (error) {
      setDryRun({
        running: false,
        message: error instanceof Error ? error.message : 'It could not run.',
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
      aria-label={`Custom code of ${definition.label}`}
      data-testid="custom-code-form"
    >
      <p className="muted">
        This code runs on your site as part of the Clicktrail tracker, on every page of the allowed origins, with{' '}
        <code>clicktrail</code> in scope. Call <code>clicktrail.track</code> when the event happens.
      </p>
      <CodeEditor value={code} onChange={setCode} label="Custom code" describedBy={`${id}-status`} />
      <p
        id={`${id}-status`}
        className={problem || tooBig ? 'field-error' : 'muted'}
        aria-live="polite"
        data-testid="code-status"
      >
        {problem
          ? `Line ${problem.line}, column ${problem.column}: ${problem.message}`
          : tooBig
            ? `${(bytes / 1024).toFixed(1)} KB: custom code may be at most ${LIMITS.customCodeMaxBytes / 1024} KB`
            : `Valid JavaScript, ${(bytes / 1024).toFixed(1)} of ${LIMITS.customCodeMaxBytes / 1024} KB`}
      </p>
      <div className="row">
        <button
          type="button"
          className="link"
          onClick={() => setCode(code.trim() ? `${code.replace(/\s*$/, '')}\n${snippet}\n` : snippet)}
          data-testid="insert-snippet"
        >
          Insert the generated track call
        </button>
        <button
          type="button"
          className="link"
          onClick={() => void runOnPage()}
          disabled={Boolean(problem) || tooBig || dryRun.running}
          data-testid="code-dry-run"
        >
          {dryRun.running ? 'Running…' : 'Run on this page now'}
        </button>
        <button type="button" className="link" onClick={() => setShowHistory(!showHistory)} aria-expanded={showHistory}>
          {showHistory ? 'Hide history' : 'History'}
        </button>
      </div>
      {dryRun.message && (
        <p className={dryRun.failed ? 'field-error' : 'muted'} role="status" data-testid="code-dry-run-result">
          {dryRun.message}
        </p>
      )}
      {showHistory && <CodeHistory name={definition.name} onRestore={setCode} />}
      {confirm === 'discard' && (
        <div className="confirm" role="alertdialog" aria-label="Discard changes">
          <p>Discard your changes to this code?</p>
          <div className="row">
            <button type="button" className="button" autoFocus onClick={onDone}>
              Discard
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirm(null)}>
              Keep editing
            </button>
          </div>
        </div>
      )}
      {confirm === 'remove' && (
        <div className="confirm" role="alertdialog" aria-label="Remove code">
          <p>Remove this event&apos;s code from your site? The history keeps it, and you can put it back.</p>
          <div className="row">
            <button
              type="button"
              className="button"
              autoFocus
              disabled={saving}
              onClick={() => void save({ customCode: null })}
              data-testid="remove-code-confirm"
            >
              {saving ? 'Removing…' : 'Remove'}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirm(null)} disabled={saving}>
              Keep it
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
          {saving ? 'Saving…' : 'Save code'}
        </button>
        <button type="button" className="button secondary" onClick={cancel} disabled={saving}>
          Cancel
        </button>
        {definition.customCode !== undefined && (
          <button
            type="button"
            className="link danger"
            onClick={() => setConfirm('remove')}
            disabled={saving}
            data-testid="remove-code"
          >
            Remove code
          </button>
        )}
      </div>
    </form>
  );
}
