import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_QUERY, findEvents, PAGE_SIZE, pageOf, type EventQuery } from '@/lib/events/find-events';
import { formatNumber, t, tp } from '@/lib/i18n';
import type { EventDefinition } from '@/lib/shared';
import { ArchivedEventItem } from './ArchivedEventItem';
import { EventItem } from './EventItem';
import { FindBar } from './events/FindBar';
import { NewEventForm } from './events/NewEventForm';
import { useDraftsStore } from './events/useDraftsStore';
import { usePageStore } from './events/usePageStore';
import { useHealthStore } from './health/useHealthStore';
import { useEventsStore } from './useEventsStore';

/** Click events whose health one list load reads at most (the newest ones). */
const MAX_HEALTH_LOOKUPS = 200;

/**
 * The portal's events: found by search and filters, those on the page in front first, a page of
 * 50 at a time (every definition is loaded once; finding and paging happen here, instantly).
 * Archived ones are apart, to restore. "New event" creates one.
 */
export function EventList({ definitions }: { definitions: EventDefinition[] }) {
  const [query, setQuery] = useState<EventQuery>(DEFAULT_QUERY);
  const [page, setPage] = useState(0);
  const drafts = useDraftsStore((state) => state.drafts);
  const [creating, setCreating] = useState(() => Boolean(drafts?.['new-event']));
  const activity = useEventsStore((state) => state.activity);
  const pageUrl = usePageStore((state) => state.url);
  const inspect = usePageStore((state) => state.inspect);
  const inspectionError = usePageStore((state) => state.inspectionError);
  const openForms = useEventsStore((state) => state.openForms);
  const found = useMemo(
    () => findEvents(definitions, query, pageUrl, activity, new Set(openForms)),
    [definitions, query, pageUrl, activity, openForms],
  );
  const shown = pageOf(found, page);
  const archived = query.status === 'current' ? definitions.filter((definition) => definition.archived) : [];
  const loadHealth = useHealthStore((state) => state.load);
  useEffect(() => {
    const clicks = definitions
      .filter((definition) => !definition.archived && definition.trigger?.kind === 'click')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, MAX_HEALTH_LOOKUPS)
      .map((definition) => definition.name);
    if (clicks.length > 0) void loadHealth(clicks);
  }, [definitions, loadHealth]);
  // What the click events find on the page in front (red when one should and finds nothing).
  useEffect(() => {
    if (pageUrl) void inspect(findEvents(definitions, DEFAULT_QUERY, pageUrl, null));
  }, [definitions, pageUrl, inspect]);
  const pendingDrafts = Object.values(drafts ?? {}).filter((draft) => draft.eventName);

  return (
    <>
      <div className="row">
        {!creating && (
          <button type="button" className="button" onClick={() => setCreating(true)} data-testid="new-event">
            {t('sidepanel.newEvent')}
          </button>
        )}
      </div>
      {creating && <NewEventForm onDone={() => setCreating(false)} />}
      {pendingDrafts.length > 0 && (
        <p className="notice" role="status" data-testid="drafts-pending">
          {t('sidepanel.draftsPending', {
            drafts: pendingDrafts
              .map((draft) => t('sidepanel.draftOf', { what: draft.what, event: draft.eventName ?? '' }))
              .join('; '),
          })}
        </p>
      )}
      <FindBar
        query={query}
        canTargetPage={Boolean(pageUrl)}
        onChange={(next) => {
          setQuery(next);
          setPage(0);
        }}
      />
      {inspectionError && (
        <p className="muted" data-testid="page-error">
          {t('sidepanel.notChecked', { message: inspectionError.message })}
        </p>
      )}
      <p className="muted" role="status" data-testid="find-count">
        {found.length === 0
          ? ''
          : tp('sidepanel.findCount', found.length, {
              first: formatNumber(shown.page * PAGE_SIZE + 1),
              last: formatNumber(shown.page * PAGE_SIZE + shown.items.length),
            })}
      </p>
      {found.length === 0 ? (
        <p className="muted" data-testid="events-empty">
          {definitions.length === 0 || (query === DEFAULT_QUERY && archived.length === definitions.length)
            ? archived.length > 0
              ? t('sidepanel.noActiveEvents')
              : t('sidepanel.noEvents')
            : t('sidepanel.noMatch')}
        </p>
      ) : (
        <ul className="events" data-testid="events">
          {shown.items.map((definition) =>
            definition.archived ? (
              <ArchivedEventItem key={definition.id} definition={definition} />
            ) : (
              <EventItem key={definition.id} definition={definition} />
            ),
          )}
        </ul>
      )}
      {shown.pages > 1 && (
        <nav className="row pager" aria-label={t('sidepanel.pages')}>
          <button
            type="button"
            className="button secondary"
            disabled={shown.page === 0}
            onClick={() => setPage(shown.page - 1)}
            data-testid="page-previous"
          >
            {t('sidepanel.previous')}
          </button>
          <span data-testid="page-number">
            {t('sidepanel.pageOf', { page: formatNumber(shown.page + 1), pages: formatNumber(shown.pages) })}
          </span>
          <button
            type="button"
            className="button secondary"
            disabled={shown.page === shown.pages - 1}
            onClick={() => setPage(shown.page + 1)}
            data-testid="page-next"
          >
            {t('sidepanel.next')}
          </button>
        </nav>
      )}
      {archived.length > 0 && (
        <details className="archived" data-testid="archived-events">
          <summary>{t('sidepanel.archivedCount', { count: formatNumber(archived.length) })}</summary>
          <ul className="events">
            {archived.map((definition) => (
              <ArchivedEventItem key={definition.id} definition={definition} />
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
