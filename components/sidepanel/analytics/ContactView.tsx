import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { formatDate, formatNumber, t } from '@/lib/i18n';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import type { Contact, EventDefinition, TimelineEntry } from '@/lib/shared';
import { ContactPrivacyActions } from './ContactPrivacyActions';
import { EnrolmentHistory } from './EnrolmentHistory';
import { useBackgroundRequest } from './useBackgroundRequest';

const PAGE_SIZE = 25;

/** "Contact": find a contact by email and read their completions, newest first, filterable by event. */
export function ContactView({ definitions }: { definitions: EventDefinition[] }) {
  const [email, setEmail] = useState('');
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<MessageErrorData | null>(null);
  const [contact, setContact] = useState<Contact | null | undefined>(undefined);
  const [filter, setFilter] = useState<string[]>([]);
  /** Who was erased last, for the notice that replaces their contact. */
  const [erased, setErased] = useState<string | null>(null);

  const find = async (event: FormEvent) => {
    event.preventDefault();
    setSearching(true);
    setSearchError(null);
    setErased(null);
    try {
      setContact(await sendToBackground('contacts/find', { email }));
      setFilter([]);
    } catch (error) {
      setSearchError(errorDataOf(error));
    } finally {
      setSearching(false);
    }
  };

  return (
    <section className="stack" aria-label={t('sidepanel.tab.contact')} data-testid="contact-view">
      <form className="controls" onSubmit={(event) => void find(event)}>
        <label>
          {t('contact.email')}{' '}
          <input
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            placeholder={t('contact.emailExample')}
            data-testid="contact-email"
          />
        </label>
        <button type="submit" className="button" disabled={searching} data-testid="contact-find">
          {searching ? t('contact.finding') : t('contact.find')}
        </button>
      </form>
      <ErrorMessage error={searchError} />
      {erased && (
        <p className="toast" role="status" data-testid="contact-erased">
          {t('contact.erased', { who: erased })}
        </p>
      )}
      {contact === null && (
        <p className="muted" role="status" data-testid="contact-none">
          {t('contact.none')}
        </p>
      )}
      {contact && (
        <>
          <p data-testid="contact-summary">
            <strong>{contact.email ?? t('contact.anonymousVisitor')}</strong>{' '}
            <span className="muted">
              {t('contact.summary', { id: contact.id, since: formatDate(contact.createdAt, { dateStyle: 'medium' }) })}
            </span>
          </p>
          <ContactPrivacyActions
            key={contact.id}
            contact={contact}
            onErased={() => {
              setErased(contact.email ?? t('contact.contactId', { id: contact.id }));
              setContact(undefined);
            }}
          />
          <EnrolmentHistory key={`enrolments-${contact.id}`} contactId={contact.id} />
          <h2 className="subheading">{t('analytics.completions')}</h2>
          <details className="event-picker">
            <summary>
              {filter.length > 0
                ? t('contact.filterCount', { count: formatNumber(filter.length) })
                : t('contact.filter')}
            </summary>
            {definitions.map((definition) => (
              <label key={definition.name} className="check">
                <input
                  type="checkbox"
                  checked={filter.includes(definition.name)}
                  onChange={(event) =>
                    setFilter((current) =>
                      event.target.checked
                        ? [...current, definition.name]
                        : current.filter((name) => name !== definition.name),
                    )
                  }
                  data-testid={`contact-filter-${definition.name}`}
                />
                {definition.label}
              </label>
            ))}
          </details>
          {/* Remounted on a new contact or filter, so paging starts over. */}
          <ContactTimeline key={`${contact.id}:${filter.join(',')}`} contactId={contact.id} eventNames={filter} />
        </>
      )}
    </section>
  );
}

function ContactTimeline({ contactId, eventNames }: { contactId: string; eventNames: string[] }) {
  const first = useBackgroundRequest('contacts/timeline', {
    contactId,
    limit: PAGE_SIZE,
    ...(eventNames.length > 0 ? { eventNames } : {}),
  });
  const [more, setMore] = useState<{ entries: TimelineEntry[]; after?: string }>({ entries: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<MessageErrorData | null>(null);
  if (first.error) return <ErrorMessage error={first.error} />;
  if (!first.data) {
    return (
      <p className="muted" role="status">
        {t('contact.timelineLoading')}
      </p>
    );
  }
  const entries = [...first.data.results, ...more.entries];
  const after = more.entries.length > 0 ? more.after : first.data.paging?.next.after;
  const loadMore = async () => {
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await sendToBackground('contacts/timeline', {
        contactId,
        limit: PAGE_SIZE,
        after,
        ...(eventNames.length > 0 ? { eventNames } : {}),
      });
      setMore({ entries: [...more.entries, ...page.results], after: page.paging?.next.after });
    } catch (error) {
      setMoreError(errorDataOf(error));
    } finally {
      setLoadingMore(false);
    }
  };
  if (entries.length === 0) {
    return (
      <p className="muted" data-testid="timeline-empty">
        {eventNames.length > 0 ? t('contact.noCompletionsOfThese') : t('contact.noCompletions')}
      </p>
    );
  }
  return (
    <>
      <ol className="timeline" data-testid="timeline">
        {entries.map((entry) => (
          <li key={entry.id} data-testid="timeline-entry">
            <details>
              <summary>
                <strong>{entry.eventLabel}</strong>{' '}
                <time dateTime={entry.occurredAt} className="muted">
                  {formatDate(entry.occurredAt)}
                </time>
              </summary>
              {entry.properties.length === 0 ? (
                <p className="muted">{t('contact.noProperties')}</p>
              ) : (
                <dl className="properties">
                  {entry.properties.map((property) => (
                    <div key={property.name}>
                      <dt title={property.name}>{property.label}</dt>
                      <dd>{property.displayValue}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </details>
          </li>
        ))}
      </ol>
      <ErrorMessage error={moreError} />
      {after && (
        <button type="button" className="link" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? t('sidepanel.loading') : t('contact.showOlder')}
        </button>
      )}
    </>
  );
}
