import { useEffect } from 'react';
import { browser } from 'wxt/browser';
import { formatDate, t } from '@/lib/i18n';
import { ErrorMessage } from '../../common/ErrorMessage';
import { FEED_POLL_MS, useTestModeStore } from './useTestModeStore';

function timeOf(iso: string): string {
  return formatDate(iso, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function pathOf(url: string | null): string {
  if (!url) return '';
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/**
 * The Test tab: switches test mode on for the active tab (the page then shows, for every click and
 * page view, what would fire — sending nothing), and the live feed of what the backend actually
 * received from this browser on that site, refreshed every 1.5 s.
 */
export function TestModeView() {
  const { tabId, on, switching, error, origin, utk, feed, feedError, load, toggle, poll } = useTestModeStore();

  useEffect(() => {
    void load();
    const reload = () => void load();
    browser.tabs.onActivated.addListener(reload);
    return () => browser.tabs.onActivated.removeListener(reload);
  }, [load]);

  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => void poll(), FEED_POLL_MS);
    return () => clearInterval(timer);
  }, [on, poll, tabId]);

  return (
    <section className="stack" aria-labelledby="test-mode-heading">
      <h2 id="test-mode-heading" className="subheading">
        {t('testMode.heading')}
      </h2>
      <p className="muted">{t('testMode.intro')}</p>
      <button
        type="button"
        className={on ? 'button secondary' : 'button'}
        aria-pressed={on}
        disabled={switching || tabId === null}
        onClick={() => void toggle()}
        data-testid="testmode-toggle"
      >
        {switching ? t('testMode.switching') : on ? t('testMode.stop') : t('testMode.start')}
      </button>
      <ErrorMessage error={error} />
      {on && (
        <div aria-live="polite" data-testid="testmode-feed">
          <h3 className="subheading">{origin ? t('testMode.receivedFrom', { origin }) : t('testMode.received')}</h3>
          {feedError && (
            <p className="muted" role="status">
              {t('testMode.feedFailed', { message: feedError.message })}
            </p>
          )}
          {feed === null && !feedError && (
            <p className="muted" role="status">
              {t('sidepanel.loading')}
            </p>
          )}
          {feed !== null && !utk && (
            <p className="muted" data-testid="testmode-no-visitor">
              {t('testMode.noVisitor')}
            </p>
          )}
          {feed !== null && utk && feed.length === 0 && (
            <p className="muted" data-testid="testmode-feed-empty">
              {t('testMode.feedEmpty')}
            </p>
          )}
          {feed && feed.length > 0 && (
            <ol className="feed">
              {feed.map((item) => (
                <li key={item.id} data-testid="testmode-feed-item">
                  <strong>{item.eventLabel}</strong>{' '}
                  <time dateTime={item.occurredAt} className="muted">
                    {timeOf(item.occurredAt)}
                  </time>
                  <div className="muted">{pathOf(item.url)}</div>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
