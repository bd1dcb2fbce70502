import { useEventsStore } from './useEventsStore';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 minutes ago", "yesterday", "just now". */
export function timeAgo(iso: string, now = Date.now()): string {
  const elapsed = now - Date.parse(iso);
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return 'just now';
}

/** When the event last fired: the first thing to check when a tracked click seems not to count. */
export function LastFired({ fullyQualifiedName }: { fullyQualifiedName: string }) {
  const activity = useEventsStore((state) => state.activity);
  if (!activity || !(fullyQualifiedName in activity)) return null;
  const at = activity[fullyQualifiedName];
  return (
    <p className="muted" data-testid="last-fired">
      {at ? (
        <>
          Last fired{' '}
          <time dateTime={at} title={new Date(at).toLocaleString()}>
            {timeAgo(at)}
          </time>
        </>
      ) : (
        'Not fired yet'
      )}
    </p>
  );
}
