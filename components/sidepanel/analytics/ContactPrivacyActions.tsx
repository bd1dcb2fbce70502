import { useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { t, tParts } from '@/lib/i18n';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import { Rich } from '../../common/Rich';
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
  const who = contact.email ?? t('contact.anonymousContact', { id: contact.id });

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
          {busy === 'export' ? t('contact.exporting') : t('contact.export')}
        </button>
        <button
          type="button"
          className="link danger"
          disabled={busy !== null}
          onClick={() => setConfirming(true)}
          aria-expanded={confirming}
          data-testid="contact-erase"
        >
          {t('contact.eraseContact')}
        </button>
      </div>
      {confirming && (
        <div
          className="confirm"
          role="alertdialog"
          aria-label={t('contact.erase', { who })}
          data-testid="contact-erase-dialog"
        >
          <p>
            <Rich parts={tParts('contact.eraseConfirm', { who: <strong>{who}</strong> })} />
          </p>
          <div className="row">
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => void erase()}
              data-testid="contact-erase-confirm"
            >
              {busy === 'erase' ? t('contact.erasing') : t('contact.erase', { who })}
            </button>
            <button
              type="button"
              className="button secondary"
              autoFocus
              disabled={busy !== null}
              onClick={() => setConfirming(false)}
            >
              {t('contact.keep')}
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
