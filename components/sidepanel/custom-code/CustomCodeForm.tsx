import { useId, useState, type FormEvent } from 'react';
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
        <button type="button" className="link" onClick={() => setShowHistory(!showHistory)} aria-expanded={showHistory}>
          {showHistory ? 'Hide history' : 'History'}
        </button>
      </div>
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
