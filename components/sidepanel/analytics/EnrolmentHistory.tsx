import { ErrorMessage } from '@/components/common/ErrorMessage';
import { formatDate, t, tp, type PlainKey } from '@/lib/i18n';
import type { Enrolment, EnrolmentHistoryKind } from '@/lib/shared';
import { useBackgroundRequest } from './useBackgroundRequest';

const KIND_TEXT: Record<EnrolmentHistoryKind, PlainKey> = {
  enrolled: 'contact.history.enrolled',
  step: 'contact.history.step',
  delayed: 'contact.history.delayed',
  waiting: 'contact.history.waiting',
  met: 'contact.history.met',
  notMet: 'contact.history.notMet',
  deliveryFailed: 'contact.history.deliveryFailed',
  finished: 'contact.history.finished',
  unenrolled: 'contact.history.unenrolled',
};

const STATUS_TEXT: Record<Enrolment['status'], PlainKey> = {
  active: 'contact.status.active',
  waiting: 'contact.status.waiting',
  finished: 'contact.status.finished',
  unenrolled: 'contact.status.unenrolled',
};

const when = (iso: string) => formatDate(iso);

/** The workflows a contact is or was enrolled in (issue 14): status, steps done and what happened. */
export function EnrolmentHistory({ contactId }: { contactId: string }) {
  const { data, error } = useBackgroundRequest('contacts/enrolments', { contactId });
  return (
    <section aria-labelledby={`enrolments-${contactId}`} data-testid="contact-enrolments">
      <h2 id={`enrolments-${contactId}`} className="subheading">
        {t('sidepanel.tab.workflows')}
      </h2>
      <ErrorMessage error={error} />
      {!data && !error && (
        <p className="muted" role="status">
          {t('contact.enrolmentsLoading')}
        </p>
      )}
      {data?.length === 0 && <p className="muted">{t('contact.notEnrolled')}</p>}
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
                      {t(STATUS_TEXT[enrolment.status])}
                    </span>{' '}
                    <span className="muted" data-testid="enrolment-steps">
                      {tp('contact.stepsDone', steps, { enrolled: when(enrolment.enrolledAt) })}
                      {enrolment.status === 'waiting' && enrolment.nextRunAt
                        ? ` · ${t('contact.waitingUntil', { time: when(enrolment.nextRunAt) })}`
                        : ''}
                    </span>
                  </summary>
                  <ol className="enrolment-history">
                    {enrolment.history.map((entry, index) => (
                      <li key={index}>
                        <time dateTime={entry.at} className="muted">
                          {when(entry.at)}
                        </time>{' '}
                        {t(KIND_TEXT[entry.kind])}
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
