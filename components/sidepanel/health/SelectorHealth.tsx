import { useState } from 'react';
import { browser } from 'wxt/browser';
import { healthVerdict } from '@/lib/health/verdict';
import { MessageError, sendToBackground } from '@/lib/messaging';
import { formatNumber, t, tp, tParts, tpParts } from '@/lib/i18n';
import type { EventDefinition } from '@/lib/shared';
import { Rich } from '../../common/Rich';
import { TimeAgo } from '../../common/TimeAgo';
import { HEALTH_DAYS, useHealthStore } from './useHealthStore';

/** The active tab, to re-pick in (on the path health names, on the same site). */
async function activeTab(): Promise<{ id: number; origin: string | null } | null> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) return null;
  let origin: string | null = null;
  try {
    origin = tab.url && /^https?:/.test(tab.url) ? new URL(tab.url).origin : null;
  } catch {
    origin = null;
  }
  return { id: tab.id, origin };
}

/**
 * What the tracker's sampled page views say about a click event's element: found by its
 * selector, found only by a fallback (re-pick to make it robust), or not found on a page —
 * with a one-click re-pick on that page of the site open in the active tab. A count is of the
 * page views on which this event was checked: each sampled page view checks a few of the events
 * under its URL, picked at random within a small time budget (lib/tracker/health.ts).
 */
export function SelectorHealth({ definition }: { definition: EventDefinition }) {
  const health = useHealthStore((state) => state.health[definition.name]);
  const [repickError, setRepickError] = useState<string | null>(null);
  if (!health) return null;
  if (!('eventName' in health)) {
    return (
      <p className="health muted" data-testid="health">
        {t('health.unreadable', { message: health.message })}
      </p>
    );
  }
  const verdict = healthVerdict(health);

  const repick = async (path: string) => {
    setRepickError(null);
    try {
      const tab = await activeTab();
      if (!tab) throw new Error(t('popup.errors.noTab'));
      await sendToBackground('picker/start', {
        tabId: tab.id,
        mode: 'element',
        repick: { name: definition.name, ...(tab.origin ? { url: `${tab.origin}${path}` } : {}) },
      });
    } catch (error) {
      setRepickError(
        error instanceof MessageError || error instanceof Error ? error.message : t('health.repickFailed'),
      );
    }
  };

  const repickButton = (path: string) => (
    <button type="button" className="link" onClick={() => void repick(path)} data-testid="health-repick">
      {t('health.repickOn', { path })}
    </button>
  );

  return (
    <div data-testid="health" data-level={verdict.level}>
      {verdict.level === 'unknown' && <p className="health muted">{tp('health.unknown', HEALTH_DAYS)}</p>}
      {verdict.level === 'ok' && (
        <p className="health muted">{tp('health.ok', verdict.pageViews, { days: formatNumber(HEALTH_DAYS) })}</p>
      )}
      {verdict.level === 'failing' && (
        <p className="health failing" role="status">
          <Rich
            parts={
              verdict.lastMatchedAt
                ? tpParts('health.failingSince', verdict.pageViews, {
                    path: <code>{verdict.path}</code>,
                    when: <TimeAgo at={verdict.lastMatchedAt} />,
                    matched: formatNumber(verdict.matched),
                  })
                : tpParts('health.failing', verdict.pageViews, {
                    path: <code>{verdict.path}</code>,
                    days: formatNumber(HEALTH_DAYS),
                  })
            }
          />{' '}
          {repickButton(verdict.path)}
        </p>
      )}
      {verdict.level === 'fallback' && (
        <p className="health warning" role="status">
          <Rich
            parts={tParts(verdict.via === 'fingerprint' ? 'health.fingerprint' : 'health.alternative', {
              path: <code>{verdict.path}</code>,
            })}
          />{' '}
          {repickButton(verdict.path)}
        </p>
      )}
      {repickError && (
        <p className="field-error" role="alert">
          {repickError}
        </p>
      )}
    </div>
  );
}
