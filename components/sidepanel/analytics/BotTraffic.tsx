import { useBackgroundRequest } from './useBackgroundRequest';

const DAYS = 30;

/**
 * How many completions the collect endpoint dropped as bots' (crawlers, headless browsers) over the
 * last 30 days — the ingest statistics of issue 17, so a marketer sees what the numbers above leave out.
 */
export function BotTraffic() {
  const { data, error } = useBackgroundRequest('privacy/ingest-stats', { days: DAYS });
  if (error) {
    return (
      <p className="muted" data-testid="bot-traffic">
        Bot traffic could not be loaded: {error.message}
      </p>
    );
  }
  if (!data) return null;
  return (
    <p className="muted" data-testid="bot-traffic">
      Not counted above: <strong data-testid="bot-count">{new Intl.NumberFormat().format(data.dropped.bot)}</strong>{' '}
      {data.dropped.bot === 1 ? 'completion' : 'completions'} from bots (crawlers and headless browsers) dropped in the
      last {DAYS} days.
    </p>
  );
}
