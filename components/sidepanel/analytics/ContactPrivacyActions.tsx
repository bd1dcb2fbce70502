import { useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import type { Contact } from '@/lib/shared';
import { downloadText } from './download';

/**
 * A contact's data-subject requests (issue 17): "Export data" saves everything stored about the
 * contact as JSON; "Erase contact" deletes it after a confirmation that names it and what goes.
 */
export function ContactPrivacyActions({ contact, onErased }: { contact: Contact; onErased: () => void }) {
  const [busy, setBusy] = useState<'export' | 'erase' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<MessageErrorData | null>(null);
  const who = contact.email ?? `anonymous contact ${contact.id}`;

  const exportData = async () => {
    setBusy('export');
    setError(null);
    try {
      const data = await sendToBackground('contacts/export', { contactId: contact.id });
      downloadText(`contact-${contact.id}-export.json`, JSON.stringify(data, null, 2), 'application/json');
    } catch (failure) {
      setError(errorDataOf(failure));
    } finally {
      setBusy(null);
    }
  };

  const erase = async () => {
    setBusy('erase');
    setError(null);
    try {
      await sendToBackground('contacts/erase', { contactId: contact.id });
      onErased();
    } catch (failure) {
      setError(errorDataOf(failure));
      setBusy(null);
    }
  };

  return (
    <div className="stack">
      <div className="actions">
        <button
          type="button"
          className="link"
          disabled={busy !== null}
          onClick={() => void exportData()}
          data-testid="contact-export"
        >
          {busy === 'export' ? 'Exporting…' : 'Export data'}
        </button>
        <button
          type="button"
          className="link danger"
          disabled={busy !== null}
          onClick={() => setConfirming(true)}
          aria-expanded={confirming}
          data-testid="contact-erase"
        >
          Erase contact…
        </button>
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={`Erase ${who}`} data-testid="contact-erase-dialog">
          <p>
            Erase <strong>{who}</strong>? This deletes the contact, every completion recorded for it and the visitor
            tokens (tracker cookies) that identify its browsers, and its workflow enrolments with their history. Only
            the fact that an erasure happened is kept. This cannot be undone.
          </p>
          <div className="row">
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => void erase()}
              data-testid="contact-erase-confirm"
            >
              {busy === 'erase' ? 'Erasing…' : `Erase ${who}`}
            </button>
            <button
              type="button"
              className="button secondary"
              autoFocus
              disabled={busy !== null}
              onClick={() => setConfirming(false)}
            >
              Keep the contact
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
