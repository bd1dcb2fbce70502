import { formatDate, formatRelativeTime } from '@/lib/i18n';

/** How long ago `at` was ("3 hours ago", "för 3 timmar sedan"); the exact date and time on hover. */
export function TimeAgo({ at }: { at: string }) {
  return (
    <time dateTime={at} title={formatDate(at)}>
      {formatRelativeTime(at)}
    </time>
  );
}
