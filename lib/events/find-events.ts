/**
 * The side panel's search, filters, sort and paging over the portal's event definitions. Pure:
 * the panel loads every definition once (the list route pages by 100; the background follows the
 * pages) and finds, sorts and pages here, so typing filters instantly without a request per key.
 */
import { matchesUrlRule, type EventDefinition } from '../shared';

export type EventKind = 'click' | 'pageview' | 'custom' | 'import' | 'manual';
/** `current`: active and paused (everything not archived). */
export type EventStatusFilter = 'current' | 'active' | 'paused' | 'archived' | 'all';
export type EventSort = 'name' | 'lastFired' | 'created';

export interface EventQuery {
  search: string;
  kind: EventKind | 'all';
  status: EventStatusFilter;
  /** Only events whose URL rule covers `pageUrl`. */
  onThisPage: boolean;
  sort: EventSort;
}

export const DEFAULT_QUERY: EventQuery = {
  search: '',
  kind: 'all',
  status: 'current',
  onThisPage: false,
  sort: 'created',
};

export const PAGE_SIZE = 50;

const KIND_OF: Record<EventDefinition['trackingType'], EventKind> = {
  CLICKED_ELEMENT: 'click',
  VISITED_URL: 'pageview',
  CUSTOM_SCRIPT: 'custom',
  IMPORT: 'import',
  MANUAL: 'manual',
};

export const kindOf = (definition: EventDefinition): EventKind => KIND_OF[definition.trackingType];

/** Whether the definition's trigger applies on `url` (events without a trigger never do). */
export function targetsPage(definition: EventDefinition, url: string | undefined): boolean {
  return Boolean(url && definition.trigger && matchesUrlRule(definition.trigger.url, url));
}

function statusOf(definition: EventDefinition): 'active' | 'paused' | 'archived' {
  return definition.archived ? 'archived' : definition.paused ? 'paused' : 'active';
}

/**
 * The definitions matching `query`, the ones targeting `pageUrl` first, then in the chosen order:
 * name A→Z, last fired (most recent first, never-fired last), or created (newest first).
 * `lastFired` maps fully qualified names to ISO times (null: never fired). The events named in
 * `open` (the user has a form open on them) stay in the list even when they no longer match — a
 * reload after someone renamed one must not pull the form away from under the user.
 */
export function findEvents(
  definitions: readonly EventDefinition[],
  query: EventQuery,
  pageUrl: string | undefined,
  lastFired: Record<string, string | null> | null,
  open: ReadonlySet<string> = new Set(),
): EventDefinition[] {
  const search = query.search.trim().toLowerCase();
  const found = definitions.filter(
    (definition) =>
      open.has(definition.name) ||
      ((query.status === 'all' ||
        (query.status === 'current' ? !definition.archived : statusOf(definition) === query.status)) &&
        (query.kind === 'all' || kindOf(definition) === query.kind) &&
        (!query.onThisPage || targetsPage(definition, pageUrl)) &&
        (!search || definition.label.toLowerCase().includes(search) || definition.name.includes(search))),
  );
  const fired = (definition: EventDefinition) => lastFired?.[definition.fullyQualifiedName] ?? '';
  const order = (a: EventDefinition, b: EventDefinition): number => {
    switch (query.sort) {
      case 'name':
        return a.label.localeCompare(b.label) || a.name.localeCompare(b.name);
      case 'lastFired':
        return fired(b).localeCompare(fired(a)) || b.createdAt.localeCompare(a.createdAt);
      case 'created':
        return b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name);
    }
  };
  const here = (definition: EventDefinition) => (targetsPage(definition, pageUrl) ? 0 : 1);
  return found.sort((a, b) => here(a) - here(b) || order(a, b));
}

/** One page of a list (0-based), and how many pages there are (at least 1). */
export function pageOf<T>(
  items: readonly T[],
  page: number,
  size = PAGE_SIZE,
): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(current * size, current * size + size), page: current, pages };
}
