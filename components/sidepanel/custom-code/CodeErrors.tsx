import { useEffect } from 'react';
import type { CustomCodeErrorSummary } from '@/lib/shared';
import { ERROR_DAYS, useCustomCodeStore } from './useCustomCodeStore';

const SHOWN = 3;

/** "today", "yesterday" or the date, for a UTC day of error counts. */
function dayLabel(day: string, now = new Date()): string {
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  return day === today ? 'today' : day === yesterday ? 'yesterday' : `on ${day}`;
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count.toLocaleString()} times`;
}

/** One line per error: "Threw TypeError on /checkout, 12 times today". */
export function describeError(error: CustomCodeErrorSummary, now?: Date): string {
  return `Threw ${error.errorName} on ${error.path}, ${times(error.count)} ${dayLabel(error.day, now)}`;
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
        Could not check this event&apos;s code for errors: {loaded.error.message}
      </p>
    );
  }
  if (loaded.value.length === 0) {
    return (
      <p className="muted" data-testid="code-errors">
        No errors from its code in the last {ERROR_DAYS} days.
      </p>
    );
  }
  const rest = loaded.value.length - SHOWN;
  return (
    <div className="code-errors" role="status" data-testid="code-errors">
      <ul>
        {loaded.value.slice(0, SHOWN).map((error) => (
          <li key={`${error.day} ${error.path} ${error.errorName}`} title={`Last: ${error.lastMessage}`}>
            {describeError(error)}: <span className="muted">{error.lastMessage}</span>
          </li>
        ))}
      </ul>
      {rest > 0 && (
        <p className="muted">
          and {rest} more in the last {ERROR_DAYS} days
        </p>
      )}
    </div>
  );
}
