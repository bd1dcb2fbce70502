import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_QUERY, findEvents, pageOf, type EventQuery } from '@/lib/events/find-events';
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
            New event
          </button>
        )}
      </div>
      {creating && <NewEventForm onDone={() => setCreating(false)} />}
      {pendingDrafts.length > 0 && (
        <p className="notice" role="status" data-testid="drafts-pending">
          Unsaved changes kept from before:{' '}
          {pendingDrafts.map((draft) => `${draft.what} of ${draft.eventName}`).join('; ')}. Open the event’s Edit to
          finish or discard them.
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
          Not checked on this page: {inspectionError.message}
        </p>
      )}
      <p className="muted" role="status" data-testid="find-count">
        {found.length === 0
          ? ''
          : `${shown.page * 50 + 1}–${shown.page * 50 + shown.items.length} of ${found.length} event${found.length === 1 ? '' : 's'}`}
      </p>
      {found.length === 0 ? (
        <p className="muted" data-testid="events-empty">
          {definitions.length === 0 || (query === DEFAULT_QUERY && archived.length === definitions.length)
            ? `No ${archived.length > 0 ? 'active ' : ''}events yet. Use “New event” (or “Track clicked element” in the popup) to define one.`
            : 'No event matches this search.'}
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
        <nav className="row pager" aria-label="Pages of events">
          <button
            type="button"
            className="button secondary"
            disabled={shown.page === 0}
            onClick={() => setPage(shown.page - 1)}
            data-testid="page-previous"
          >
            Previous
          </button>
          <span data-testid="page-number">
            Page {shown.page + 1} of {shown.pages}
          </span>
          <button
            type="button"
            className="button secondary"
            disabled={shown.page === shown.pages - 1}
            onClick={() => setPage(shown.page + 1)}
            data-testid="page-next"
          >
            Next
          </button>
        </nav>
      )}
      {archived.length > 0 && (
        <details className="archived" data-testid="archived-events">
          <summary>Archived ({archived.length})</summary>
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
