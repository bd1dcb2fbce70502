import type { EventDefinition } from '@/lib/shared';

/** The portal's events, newest first, with how each one is triggered. */
export function EventList({ definitions }: { definitions: EventDefinition[] }) {
  if (definitions.length === 0) {
    return (
      <p className="muted" data-testid="events-empty">
        No events yet. Use “Track clicked element” in the popup to define your first one.
      </p>
    );
  }
  const sorted = [...definitions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <ul className="events" data-testid="events">
      {sorted.map((definition) => (
        <li key={definition.id}>
          <strong>{definition.label}</strong> <span className="badge">{definition.trackingType}</span>
          <br />
          <code>{definition.fullyQualifiedName}</code>
          {definition.trigger?.kind === 'click' && (
            <>
              <br />
              <span className="muted">
                Clicks on <code>{definition.trigger.element.selector}</code> ({definition.trigger.element.quality})
              </span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
