import { t } from '@/lib/i18n';
import { useId } from 'react';
import type { EventKind, EventQuery, EventSort, EventStatusFilter } from '@/lib/events/find-events';

const KINDS: (EventKind | 'all')[] = ['all', 'click', 'pageview', 'custom', 'import', 'manual'];
const STATUSES: EventStatusFilter[] = ['current', 'active', 'paused', 'archived', 'all'];
const SORTS: EventSort[] = ['created', 'name', 'lastFired'];

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
    <div className="find" role="search" aria-label={t('events.find.label')}>
      <label htmlFor={`${id}-search`} className="sr-only">
        {t('events.find.search')}
      </label>
      <input
        id={`${id}-search`}
        type="search"
        placeholder={t('events.find.searchPlaceholder')}
        value={query.search}
        onChange={(event) => set({ search: event.target.value })}
        data-testid="find-search"
      />
      <div className="row wrap">
        <label htmlFor={`${id}-kind`} className="sr-only">
          {t('events.find.kind')}
        </label>
        <select
          id={`${id}-kind`}
          value={query.kind}
          onChange={(event) => set({ kind: event.target.value as EventQuery['kind'] })}
          data-testid="find-kind"
        >
          {KINDS.map((value) => (
            <option key={value} value={value}>
              {t(`events.find.kinds.${value}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-status`} className="sr-only">
          {t('events.find.status')}
        </label>
        <select
          id={`${id}-status`}
          value={query.status}
          onChange={(event) => set({ status: event.target.value as EventStatusFilter })}
          data-testid="find-status"
        >
          {STATUSES.map((value) => (
            <option key={value} value={value}>
              {t(`events.find.statuses.${value}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-sort`}>{t('events.find.sort')}</label>
        <select
          id={`${id}-sort`}
          value={query.sort}
          onChange={(event) => set({ sort: event.target.value as EventSort })}
          data-testid="find-sort"
        >
          {SORTS.map((value) => (
            <option key={value} value={value}>
              {t(`events.find.sorts.${value}`)}
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
          {t('events.find.thisPage')}
        </label>
      </div>
    </div>
  );
}
