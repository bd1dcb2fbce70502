import type { Delivery } from '@/lib/shared';
import { ErrorMessage } from '../../common/ErrorMessage';
import { useWorkflowsStore } from './useWorkflowsStore';

/** The newest webhook deliveries of a workflow, with a retry button on failed ones. */
export function DeliveryLog() {
  const log = useWorkflowsStore((state) => state.log);
  const retry = useWorkflowsStore((state) => state.retry);
  const close = useWorkflowsStore((state) => state.closeLog);
  if (!log) return null;
  return (
    <section className="stack" aria-label="Delivery log" data-testid="delivery-log">
      <header className="row">
        <strong>Delivery log</strong>
        <button type="button" className="link" style={{ marginLeft: 'auto' }} onClick={close}>
          Close
        </button>
      </header>
      <ErrorMessage error={log.error} />
      {log.deliveries === null && !log.error && <p className="muted">Loading deliveries…</p>}
      {log.deliveries?.length === 0 && <p className="muted">No webhook has been sent yet.</p>}
      <ul className="stack">
        {log.deliveries?.map((delivery: Delivery) => (
          <li key={delivery.id} data-testid={`delivery-${delivery.id}`} className="card">
            <div>
              <strong data-testid="delivery-status">{delivery.status}</strong> · contact {delivery.contactId} · step{' '}
              {delivery.stepId} · {delivery.attempts} attempt{delivery.attempts === 1 ? '' : 's'}
              {delivery.responseStatus !== null && <> · HTTP {delivery.responseStatus}</>}
              {delivery.latencyMs !== null && <> · {delivery.latencyMs} ms</>}
            </div>
            <div className="muted">{new Date(delivery.updatedAt).toLocaleString()}</div>
            {delivery.error && <div className="error">{delivery.error}</div>}
            {delivery.status === 'failed' && (
              <button type="button" onClick={() => void retry(delivery)}>
                Retry
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
