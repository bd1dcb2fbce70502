import { useId, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import type { z } from 'zod';
import { CLEARTEXT_WARNING, isCleartextRemote, originPattern } from '@/lib/backend/backend-origin';
import { t } from '@/lib/i18n';
import { connectionInputSchema } from '@/lib/messaging';
import { ErrorMessage } from '../common/ErrorMessage';
import { usePopupStore } from './usePopupStore';

const DEFAULT_URL = 'http://localhost:8787';

/** Connects the extension to a Clicktrail server; the key is only saved once the server accepts it. */
export function ConnectForm() {
  const { busy, error, connect } = usePopupStore();
  const [baseUrl, setBaseUrl] = useState(DEFAULT_URL);
  const [apiKey, setApiKey] = useState('');
  const [allowCleartext, setAllowCleartext] = useState(false);
  const cleartext = isCleartextRemote(baseUrl.trim());
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const ids = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = connectionInputSchema.safeParse({ baseUrl, apiKey, allowCleartext: cleartext && allowCleartext });
    if (!parsed.success) {
      setFieldErrors(
        Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), fieldError(issue)])),
      );
      return;
    }
    setFieldErrors({});
    // Asked here, synchronously in the click's handler: browsers show the prompt only for a user's
    // gesture. Access to the server's origin is all the extension asks for at this point.
    const access = browser.permissions.request({ origins: [originPattern(parsed.data.baseUrl)] });
    void connect(parsed.data, access);
  };

  return (
    <form className="stack" onSubmit={submit} noValidate data-testid="connect-form">
      <p className="muted">{t('popup.intro')}</p>
      <label htmlFor={`${ids}-url`}>{t('popup.serverUrl')}</label>
      <input
        id={`${ids}-url`}
        name="baseUrl"
        type="url"
        value={baseUrl}
        onChange={(event) => setBaseUrl(event.target.value)}
        aria-invalid={fieldErrors.baseUrl ? true : undefined}
      />
      {fieldErrors.baseUrl && <p className="field-error">{fieldErrors.baseUrl}</p>}
      {cleartext && (
        <div className="warning" data-testid="cleartext-warning">
          <p>{t('popup.cleartextWarning')}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={allowCleartext}
              onChange={(event) => setAllowCleartext(event.target.checked)}
            />
            {t('popup.cleartextAllow')}
          </label>
        </div>
      )}
      <label htmlFor={`${ids}-key`}>{t('popup.apiKey')}</label>
      <input
        id={`${ids}-key`}
        name="apiKey"
        type="password"
        autoComplete="off"
        autoFocus
        value={apiKey}
        onChange={(event) => setApiKey(event.target.value)}
        aria-invalid={fieldErrors.apiKey ? true : undefined}
      />
      {fieldErrors.apiKey && <p className="field-error">{fieldErrors.apiKey}</p>}
      <ErrorMessage error={error} />
      <button type="submit" className="button" disabled={busy}>
        {busy ? t('popup.connecting') : t('popup.connect')}
      </button>
    </form>
  );
}

/**
 * The user's words for a problem the shared schema found (its own messages are English, shared with
 * the server): by field, and for the URL by which check failed.
 */
function fieldError(issue: z.core.$ZodIssue): string {
  if (issue.path[0] === 'apiKey') return t('popup.errors.apiKey');
  if (issue.code === 'invalid_format') return t('popup.errors.baseUrl');
  if (issue.code === 'custom' && issue.message === CLEARTEXT_WARNING) return t('popup.errors.cleartext');
  if (issue.code === 'custom') return t('popup.errors.baseUrlScheme');
  return t('popup.errors.baseUrl');
}
