import { formatDate, formatNumber, t, tp, type PlainKey } from '@/lib/i18n';
import type { Delivery, DeliveryStatus } from '@/lib/shared';
import { ErrorMessage } from '../../common/ErrorMessage';
import { useWorkflowsStore } from './useWorkflowsStore';

const STATUS_TEXT: Record<DeliveryStatus, PlainKey> = {
  pending: 'workflows.delivery.pending',
  retrying: 'workflows.delivery.retrying',
  succeeded: 'workflows.delivery.succeeded',
  failed: 'workflows.delivery.failed',
};

/** The newest webhook deliveries of a workflow, with a retry button on failed ones. */
export function DeliveryLog() {
  const log = useWorkflowsStore((state) => state.log);
  const retry = useWorkflowsStore((state) => state.retry);
  const close = useWorkflowsStore((state) => state.closeLog);
  if (!log) return null;
  return (
    <section className="stack" aria-label={t('workflows.deliveryLog')} data-testid="delivery-log">
      <header className="row">
        <strong>{t('workflows.deliveryLog')}</strong>
        <button type="button" className="link" style={{ marginLeft: 'auto' }} onClick={close}>
          {t('workflows.close')}
        </button>
      </header>
      <ErrorMessage error={log.error} />
      {log.deliveries === null && !log.error && <p className="muted">{t('workflows.deliveriesLoading')}</p>}
      {log.deliveries?.length === 0 && <p className="muted">{t('workflows.noDeliveries')}</p>}
      <ul className="stack">
        {log.deliveries?.map((delivery: Delivery) => (
          <li key={delivery.id} data-testid={`delivery-${delivery.id}`} className="card">
            <div>
              <strong data-testid="delivery-status">{t(STATUS_TEXT[delivery.status])}</strong> ·{' '}
              {t('workflows.deliveryOf', { contact: delivery.contactId, step: delivery.stepId })} ·{' '}
              {tp('workflows.attempts', delivery.attempts)}
              {delivery.responseStatus !== null &&
                ` · ${t('workflows.httpStatus', { status: delivery.responseStatus })}`}
              {delivery.latencyMs !== null &&
                ` · ${t('workflows.milliseconds', { ms: formatNumber(delivery.latencyMs) })}`}
            </div>
            <div className="muted">{formatDate(delivery.updatedAt)}</div>
            {delivery.error && <div className="error">{delivery.error}</div>}
            {delivery.status === 'failed' && (
              <button type="button" onClick={() => void retry(delivery)}>
                {t('workflows.retry')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
