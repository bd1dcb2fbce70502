import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
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
    <section className="stack" aria-label="Contact" data-testid="contact-view">
      <form className="controls" onSubmit={(event) => void find(event)}>
        <label>
          Email{' '}
          <input
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            placeholder="ada@example.com"
            data-testid="contact-email"
          />
        </label>
        <button type="submit" className="button" disabled={searching} data-testid="contact-find">
          {searching ? 'Finding…' : 'Find'}
        </button>
      </form>
      <ErrorMessage error={searchError} />
      {erased && (
        <p className="toast" role="status" data-testid="contact-erased">
          {erased} was erased: the contact, its visitor tokens and every completion are gone.
        </p>
      )}
      {contact === null && (
        <p className="muted" role="status" data-testid="contact-none">
          No contact has this email.
        </p>
      )}
      {contact && (
        <>
          <p data-testid="contact-summary">
            <strong>{contact.email ?? 'Anonymous visitor'}</strong>{' '}
            <span className="muted">
              contact {contact.id}, since {new Date(contact.createdAt).toLocaleDateString()}
            </span>
          </p>
          <ContactPrivacyActions
            key={contact.id}
            contact={contact}
            onErased={() => {
              setErased(contact.email ?? `Contact ${contact.id}`);
              setContact(undefined);
            }}
          />
          <EnrolmentHistory key={`enrolments-${contact.id}`} contactId={contact.id} />
          <h2 className="subheading">Completions</h2>
          <details className="event-picker">
            <summary>Filter by event{filter.length > 0 ? ` (${filter.length})` : ''}</summary>
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
        Loading the timeline…
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
        {eventNames.length > 0 ? 'No completions of these events.' : 'No completions yet.'}
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
                  {new Date(entry.occurredAt).toLocaleString()}
                </time>
              </summary>
              {entry.properties.length === 0 ? (
                <p className="muted">No properties.</p>
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
          {loadingMore ? 'Loading…' : 'Show older'}
        </button>
      )}
    </>
  );
}
