import { t, tParts } from '@/lib/i18n';
import { Rich } from '../common/Rich';
import { TimeAgo } from '../common/TimeAgo';
import { useEventsStore } from './useEventsStore';

/** When the event last fired: the first thing to check when a tracked click seems not to count. */
export function LastFired({ fullyQualifiedName }: { fullyQualifiedName: string }) {
  const activity = useEventsStore((state) => state.activity);
  if (!activity || !(fullyQualifiedName in activity)) return null;
  const at = activity[fullyQualifiedName];
  return (
    <p className="muted" data-testid="last-fired">
      {at ? <Rich parts={tParts('sidepanel.lastFired', { when: <TimeAgo at={at} /> })} /> : t('sidepanel.notFiredYet')}
    </p>
  );
}
