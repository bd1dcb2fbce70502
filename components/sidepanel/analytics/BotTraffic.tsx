import { formatNumber, t, tpParts } from '@/lib/i18n';
import { Rich } from '../../common/Rich';
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
        {t('analytics.botTrafficFailed', { message: error.message })}
      </p>
    );
  }
  if (!data) return null;
  return (
    <p className="muted" data-testid="bot-traffic">
      <Rich
        parts={tpParts('analytics.botTraffic', data.dropped.bot, {
          bots: <strong data-testid="bot-count">{formatNumber(data.dropped.bot)}</strong>,
          days: formatNumber(DAYS),
        })}
      />
    </p>
  );
}
