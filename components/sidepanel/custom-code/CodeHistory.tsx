import { useEffect } from 'react';
import { timeAgo } from '../LastFired';
import { useCustomCodeStore } from './useCustomCodeStore';

/**
 * Who changed the event's code, when, to what: stored code runs on the customer's site, so every
 * version stays readable with the API key that wrote it.
 */
export function CodeHistory({ name, onRestore }: { name: string; onRestore: (code: string) => void }) {
  const loaded = useCustomCodeStore((state) => state.history[name]);
  const loadHistory = useCustomCodeStore((state) => state.loadHistory);
  useEffect(() => {
    void loadHistory(name);
  }, [name, loadHistory]);

  if (!loaded || loaded.status === 'loading') {
    return (
      <p className="muted" role="status">
        Loading the history…
      </p>
    );
  }
  if (loaded.status === 'error') {
    return (
      <p className="field-error" role="alert">
        Could not load the history: {loaded.error.message}
      </p>
    );
  }
  if (loaded.value.length === 0) return <p className="muted">No code saved yet.</p>;
  return (
    <ol className="code-history" data-testid="code-history">
      {loaded.value.map((change) => (
        <li key={`${change.version}-${change.changedAt}`}>
          <details>
            <summary>
              Version {change.version}, <time dateTime={change.changedAt}>{timeAgo(change.changedAt)}</time>, by{' '}
              {change.apiKey ? (
                <>
                  key <code>{change.apiKey.prefix}…</code> ({change.apiKey.name})
                </>
              ) : (
                'a deleted key'
              )}
              {change.code === null && ': code removed'}
            </summary>
            {change.code !== null && (
              <>
                <pre className="code-block">{change.code}</pre>
                <button type="button" className="link" onClick={() => onRestore(change.code!)}>
                  Put this version in the editor
                </button>
              </>
            )}
          </details>
        </li>
      ))}
    </ol>
  );
}
