import { useEffect } from 'react';
import { formatNumber, t, tParts } from '@/lib/i18n';
import { Rich } from '../../common/Rich';
import { TimeAgo } from '../../common/TimeAgo';
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
        {t('customCode.historyLoading')}
      </p>
    );
  }
  if (loaded.status === 'error') {
    return (
      <p className="field-error" role="alert">
        {t('customCode.historyFailed', { message: loaded.error.message })}
      </p>
    );
  }
  if (loaded.value.length === 0) return <p className="muted">{t('customCode.noHistory')}</p>;
  return (
    <ol className="code-history" data-testid="code-history">
      {loaded.value.map((change) => (
        <li key={`${change.version}-${change.changedAt}`}>
          <details>
            <summary>
              <Rich
                parts={tParts(change.code === null ? 'customCode.versionRemoved' : 'customCode.version', {
                  version: formatNumber(change.version),
                  when: <TimeAgo at={change.changedAt} />,
                  author: change.apiKey ? (
                    <Rich
                      parts={tParts('customCode.byKey', {
                        prefix: <code>{change.apiKey.prefix}…</code>,
                        name: change.apiKey.name,
                      })}
                    />
                  ) : (
                    t('customCode.deletedKey')
                  ),
                })}
              />
            </summary>
            {change.code !== null && (
              <>
                <pre className="code-block">{change.code}</pre>
                <button type="button" className="link" onClick={() => onRestore(change.code!)}>
                  {t('customCode.restoreVersion')}
                </button>
              </>
            )}
          </details>
        </li>
      ))}
    </ol>
  );
}
