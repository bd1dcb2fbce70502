import { ErrorMessage } from '@/components/common/ErrorMessage';
import type { Enrolment, EnrolmentHistoryKind } from '@/lib/shared';
import { useBackgroundRequest } from './useBackgroundRequest';

const KIND_TEXT: Record<EnrolmentHistoryKind, string> = {
  enrolled: 'Enrolled',
  step: 'Step done',
  delayed: 'Delayed',
  waiting: 'Waiting for an event',
  met: 'Event met',
  notMet: 'Not met in time',
  deliveryFailed: 'Webhook delivery failed',
  finished: 'Finished',
  unenrolled: 'Unenrolled',
};

const STATUS_TEXT: Record<Enrolment['status'], string> = {
  active: 'Active',
  waiting: 'Waiting',
  finished: 'Finished',
  unenrolled: 'Unenrolled',
};

const when = (iso: string) => new Date(iso).toLocaleString();

/** The workflows a contact is or was enrolled in (issue 14): status, steps done and what happened. */
export function EnrolmentHistory({ contactId }: { contactId: string }) {
  const { data, error } = useBackgroundRequest('contacts/enrolments', { contactId });
  return (
    <section aria-labelledby={`enrolments-${contactId}`} data-testid="contact-enrolments">
      <h2 id={`enrolments-${contactId}`} className="subheading">
        Workflows
      </h2>
      <ErrorMessage error={error} />
      {!data && !error && (
        <p className="muted" role="status">
          Loading workflow enrolments…
        </p>
      )}
      {data?.length === 0 && <p className="muted">Not enrolled in any workflow.</p>}
      {data && data.length > 0 && (
        <ol className="timeline">
          {data.map((enrolment) => {
            const steps = enrolment.history.filter((entry) => entry.kind === 'step').length;
            return (
              <li key={enrolment.id} data-testid="enrolment">
                <details>
                  <summary>
                    <strong>{enrolment.workflowName}</strong>{' '}
                    <span className="badge" data-testid="enrolment-status">
                      {STATUS_TEXT[enrolment.status]}
                    </span>{' '}
                    <span className="muted" data-testid="enrolment-steps">
                      {steps} {steps === 1 ? 'step' : 'steps'} done · enrolled {when(enrolment.enrolledAt)}
                      {enrolment.status === 'waiting' && enrolment.nextRunAt
                        ? ` · waiting until ${when(enrolment.nextRunAt)}`
                        : ''}
                    </span>
                  </summary>
                  <ol className="enrolment-history">
                    {enrolment.history.map((entry, index) => (
                      <li key={index}>
                        <time dateTime={entry.at} className="muted">
                          {when(entry.at)}
                        </time>{' '}
                        {KIND_TEXT[entry.kind]}
                        {entry.stepId ? ` (${entry.stepId})` : ''}
                        {entry.detail ? <span className="muted"> — {entry.detail}</span> : null}
                      </li>
                    ))}
                  </ol>
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
