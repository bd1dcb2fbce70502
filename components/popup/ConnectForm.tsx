import { useId, useState, type FormEvent } from 'react';
import { browser } from 'wxt/browser';
import { isCleartextRemote, originPattern } from '@/lib/backend/backend-origin';
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
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])));
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
      <p className="muted">Connect to your Clicktrail server to define events on your site.</p>
      <label htmlFor={`${ids}-url`}>Server URL</label>
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
          <p>
            This is not a secure (https://) address and not this computer: anyone on the network between you and the
            server could read the API key.
          </p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={allowCleartext}
              onChange={(event) => setAllowCleartext(event.target.checked)}
            />
            Send the API key over http:// anyway
          </label>
        </div>
      )}
      <label htmlFor={`${ids}-key`}>API key</label>
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
        {busy ? 'Connecting…' : 'Connect'}
      </button>
    </form>
  );
}
