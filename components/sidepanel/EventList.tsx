import { useEffect } from 'react';
import type { EventDefinition } from '@/lib/shared';
import { ArchivedEventItem } from './ArchivedEventItem';
import { EventItem } from './EventItem';
import { useHealthStore } from './health/useHealthStore';

/** Click events whose health one list load reads at most (the newest ones). */
const MAX_HEALTH_LOOKUPS = 200;

const newestFirst = (definitions: EventDefinition[]) =>
  [...definitions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

/** The portal's events, newest first, each editable; archived ones apart, to restore. */
export function EventList({ definitions }: { definitions: EventDefinition[] }) {
  const active = newestFirst(definitions.filter((definition) => !definition.archived));
  const archived = newestFirst(definitions.filter((definition) => definition.archived));
  const loadHealth = useHealthStore((state) => state.load);
  useEffect(() => {
    const clicks = definitions
      .filter((definition) => !definition.archived && definition.trigger?.kind === 'click')
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, MAX_HEALTH_LOOKUPS)
      .map((definition) => definition.name);
    if (clicks.length > 0) void loadHealth(clicks);
  }, [definitions, loadHealth]);
  return (
    <>
      {active.length === 0 ? (
        <p className="muted" data-testid="events-empty">
          No {archived.length > 0 ? 'active ' : ''}events yet. Use “Track clicked element” in the popup to define one.
        </p>
      ) : (
        <ul className="events" data-testid="events">
          {active.map((definition) => (
            <EventItem key={definition.id} definition={definition} />
          ))}
        </ul>
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
