import { useEffect } from 'react';
import { formatDate, formatNumber, t, tp } from '@/lib/i18n';
import type { CustomCodeErrorSummary } from '@/lib/shared';
import { ERROR_DAYS, useCustomCodeStore } from './useCustomCodeStore';

const SHOWN = 3;

/** "today", "yesterday" or the date, for a UTC day of error counts. */
function dayLabel(day: string, now = new Date()): string {
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (day === today) return t('customCode.today');
  if (day === yesterday) return t('customCode.yesterday');
  return t('customCode.onDay', { date: formatDate(day, { dateStyle: 'medium', timeZone: 'UTC' }) });
}

/** One line per error: "Threw TypeError on /checkout, 12 times today". */
export function describeError(error: CustomCodeErrorSummary, now?: Date): string {
  return t('customCode.threw', {
    error: error.errorName,
    path: error.path,
    times: tp('customCode.times', error.count),
    day: dayLabel(error.day, now),
  });
}

/** What an event's code threw on the site lately; silent while loading and when all is well. */
export function CodeErrors({ name }: { name: string }) {
  const loaded = useCustomCodeStore((state) => state.errors[name]);
  const loadErrors = useCustomCodeStore((state) => state.loadErrors);
  useEffect(() => {
    void loadErrors(name);
  }, [name, loadErrors]);

  if (!loaded || loaded.status === 'loading') return null;
  if (loaded.status === 'error') {
    return (
      <p className="muted" role="status">
        {t('customCode.errorsUnreadable', { message: loaded.error.message })}
      </p>
    );
  }
  if (loaded.value.length === 0) {
    return (
      <p className="muted" data-testid="code-errors">
        {tp('customCode.noErrors', ERROR_DAYS)}
      </p>
    );
  }
  const rest = loaded.value.length - SHOWN;
  return (
    <div className="code-errors" role="status" data-testid="code-errors">
      <ul>
        {loaded.value.slice(0, SHOWN).map((error) => (
          <li
            key={`${error.day} ${error.path} ${error.errorName}`}
            title={t('customCode.lastMessage', { message: error.lastMessage })}
          >
            {describeError(error)}: <span className="muted">{error.lastMessage}</span>
          </li>
        ))}
      </ul>
      {rest > 0 && <p className="muted">{tp('customCode.moreErrors', rest, { days: formatNumber(ERROR_DAYS) })}</p>}
    </div>
  );
}
