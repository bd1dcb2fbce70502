import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { Rich } from '@/components/common/Rich';
import { t, tParts } from '@/lib/i18n';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { errorDataOf, sendToBackground, type ConnectionStatus, type MessageErrorData } from '@/lib/messaging';
import { originPattern } from '@/lib/backend/backend-origin';
import { CopySnippet } from './CopySnippet';
import { usePageStore } from './usePageStore';

/** Where the snippet goes (markup, not language). */
const HEAD_END = '</head>';

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
      <h2 id="install-title">{t('events.install.title')}</h2>
      <p className="muted">
        <Rich parts={tParts('events.install.where', { head: <code key="head">{HEAD_END}</code> })} />
      </p>
      <CopySnippet code={snippet} label={t('events.install.snippetLabel')} testId="tracker-snippet" />

      <h3>{t('events.install.thisSite')}</h3>
      {!url ? (
        <p className="muted" data-testid="site-unknown">
          {origins && origins.length > 0 ? t('events.install.unknownSiteAllow') : t('events.install.unknownSite')}
        </p>
      ) : (
        <ul className="checks" data-testid="site-checks">
          <li data-testid="check-tracker">
            {inspection === null
              ? inspectionError
                ? t('events.install.inspectFailed', { message: inspectionError.message })
                : t('events.install.inspecting')
              : loadsFromHere
                ? t('events.install.trackerOk')
                : inspection.trackerScripts.length > 0
                  ? t('events.install.trackerElsewhere', { src: inspection.trackerScripts[0]! })
                  : t('events.install.trackerMissing')}
          </li>
          <li data-testid="check-origin">
            {origins === null
              ? t('events.install.originsChecking')
              : allowed
                ? t('events.install.originOk', { origin: origin })
                : t('events.install.originRefused', { origin: origin! })}
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
          {busy ? t('events.install.allowing') : t('events.install.allow', { origin: origin! })}
        </button>
      )}

      <h3>{t('events.install.yourSites')}</h3>
      {origins === null ? null : origins.length === 0 ? (
        <p className="muted">{t('events.install.noSites')}</p>
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
              {t('events.install.accessOk')}
            </p>
          ) : (
            <button type="button" className="button secondary" onClick={allowExtension} data-testid="allow-extension">
              {t('events.install.allowExtension')}
            </button>
          )}
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
