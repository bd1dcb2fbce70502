import { useId } from 'react';
import type { EventKind, EventQuery, EventSort, EventStatusFilter } from '@/lib/events/find-events';

const KINDS: [EventKind | 'all', string][] = [
  ['all', 'Every type'],
  ['click', 'Click'],
  ['pageview', 'Page view'],
  ['custom', 'Custom script'],
  ['import', 'Import'],
  ['manual', 'API'],
];
const STATUSES: [EventStatusFilter, string][] = [
  ['current', 'Active and paused'],
  ['active', 'Active'],
  ['paused', 'Paused'],
  ['archived', 'Archived'],
  ['all', 'Every status'],
];
const SORTS: [EventSort, string][] = [
  ['created', 'Newest'],
  ['name', 'Name'],
  ['lastFired', 'Last fired'],
];

/** Search, filters and sort of the event list. */
export function FindBar({
  query,
  onChange,
  canTargetPage,
}: {
  query: EventQuery;
  onChange: (query: EventQuery) => void;
  /** Whether the panel knows the page in front (for "targets this page"). */
  canTargetPage: boolean;
}) {
  const id = useId();
  const set = (change: Partial<EventQuery>) => onChange({ ...query, ...change });
  return (
    <div className="find" role="search" aria-label="Find events">
      <label htmlFor={`${id}-search`} className="sr-only">
        Search by label or internal name
      </label>
      <input
        id={`${id}-search`}
        type="search"
        placeholder="Search label or internal name"
        value={query.search}
        onChange={(event) => set({ search: event.target.value })}
        data-testid="find-search"
      />
      <div className="row wrap">
        <label htmlFor={`${id}-kind`} className="sr-only">
          Type
        </label>
        <select
          id={`${id}-kind`}
          value={query.kind}
          onChange={(event) => set({ kind: event.target.value as EventQuery['kind'] })}
          data-testid="find-kind"
        >
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-status`} className="sr-only">
          Status
        </label>
        <select
          id={`${id}-status`}
          value={query.status}
          onChange={(event) => set({ status: event.target.value as EventStatusFilter })}
          data-testid="find-status"
        >
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select
          id={`${id}-sort`}
          value={query.sort}
          onChange={(event) => set({ sort: event.target.value as EventSort })}
          data-testid="find-sort"
        >
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label className="inline">
          <input
            type="checkbox"
            checked={query.onThisPage}
            disabled={!canTargetPage}
            onChange={(event) => set({ onThisPage: event.target.checked })}
            data-testid="find-this-page"
          />{' '}
          Targets this page
        </label>
      </div>
    </div>
  );
}
