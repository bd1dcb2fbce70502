import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { errorDataOf, sendToBackground, type ConnectionStatus, type MessageErrorData } from '@/lib/messaging';
import { originPattern } from '@/lib/backend/backend-origin';
import { CopySnippet } from './CopySnippet';
import { usePageStore } from './usePageStore';

/**
 * Install help: the tracker snippet for this portal; whether the site in front loads it from this
 * server and may send to it (its origin allowed), with the fix; allowing the site from here; and
 * letting Clicktrail read the portal's sites (the host permission the panel needs to highlight and
 * pick there, docs/permissions.md).
 */
export function InstallHelp({ status }: { status: ConnectionStatus }) {
  const url = usePageStore((state) => state.url);
  const inspection = usePageStore((state) => state.inspection);
  const inspectionError = usePageStore((state) => state.inspectionError);
  const loadTab = usePageStore((state) => state.loadTab);
  const [origins, setOrigins] = useState<string[] | null>(null);
  const [error, setError] = useState<MessageErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const [access, setAccess] = useState<boolean | null>(null);
  const baseUrl = status.baseUrl!;
  const snippet = `<script async src="${baseUrl}/tracker.js" data-portal-id="${status.portalId}"></script>`;
  const origin = url ? new URL(url).origin : undefined;

  useEffect(() => {
    sendToBackground('origins/list').then(setOrigins, (failure: unknown) => setError(errorDataOf(failure)));
  }, []);
  useEffect(() => {
    if (!origins || origins.length === 0) return;
    void browser.permissions.contains({ origins: origins.map(originPattern) }).then(setAccess);
  }, [origins]);

  const allowSite = async () => {
    if (!origin) return;
    setBusy(true);
    setError(null);
    try {
      const added = await sendToBackground('origins/add', { origin });
      setOrigins((current) => [...new Set([...(current ?? []), added.origin])].sort());
    } catch (failure) {
      setError(errorDataOf(failure));
    } finally {
      setBusy(false);
    }
  };
  // Must run in the click itself: browsers ask for permissions only in answer to a user gesture.
  const allowExtension = () => {
    if (!origins) return;
    void browser.permissions.request({ origins: origins.map(originPattern) }).then((granted) => {
      setAccess(granted);
      if (granted) void loadTab();
    });
  };

  const loadsFromHere = inspection?.trackerScripts.some((src) => src.startsWith(`${baseUrl}/`));
  const allowed = origin !== undefined && origins?.includes(origin);
  return (
    <section className="stack" aria-labelledby="install-title" data-testid="install-help">
      <h2 id="install-title">Install the tracker</h2>
      <p className="muted">Add this to every page of your site, before the closing &lt;/head&gt;:</p>
      <CopySnippet code={snippet} label="Tracker snippet" testId="tracker-snippet" />

      <h3>This site</h3>
      {!url ? (
        <p className="muted" data-testid="site-unknown">
          Clicktrail cannot read the tab in front: open one of your sites there
          {origins && origins.length > 0 ? ', and allow Clicktrail on your sites below' : ''}.
        </p>
      ) : (
        <ul className="checks" data-testid="site-checks">
          <li data-testid="check-tracker">
            {inspection === null
              ? inspectionError
                ? `Could not look at the page: ${inspectionError.message}`
                : 'Looking at the page…'
              : loadsFromHere
                ? '✓ The page loads the tracker from your server.'
                : inspection.trackerScripts.length > 0
                  ? `✗ The page loads a tracker from elsewhere (${inspection.trackerScripts[0]}): use the snippet above.`
                  : '✗ The page does not load the tracker: add the snippet above.'}
          </li>
          <li data-testid="check-origin">
            {origins === null
              ? 'Checking the allowed sites…'
              : allowed
                ? `✓ ${origin} may send events to your server.`
                : `✗ ${origin} is not an allowed site: the server refuses its events. Allow it here, or run: npm run server -- origins add ${origin}`}
          </li>
        </ul>
      )}
      {url && origins && !allowed && (
        <button
          type="button"
          className="button"
          onClick={() => void allowSite()}
          disabled={busy}
          data-testid="allow-origin"
        >
          {busy ? 'Allowing…' : `Allow ${origin}`}
        </button>
      )}

      <h3>Clicktrail on your sites</h3>
      {origins === null ? null : origins.length === 0 ? (
        <p className="muted">No allowed sites yet.</p>
      ) : (
        <>
          <ul data-testid="allowed-origins">
            {origins.map((allowedOrigin) => (
              <li key={allowedOrigin}>
                <code>{allowedOrigin}</code>
              </li>
            ))}
          </ul>
          {access ? (
            <p className="muted" data-testid="extension-access">
              ✓ Clicktrail may highlight, check and pick on these sites from this panel.
            </p>
          ) : (
            <button type="button" className="button secondary" onClick={allowExtension} data-testid="allow-extension">
              Allow Clicktrail on your sites
            </button>
          )}
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
