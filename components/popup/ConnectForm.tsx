import { useId, useState, type FormEvent } from 'react';
import { connectionInputSchema } from '@/lib/messaging';
import { ErrorMessage } from '../common/ErrorMessage';
import { usePopupStore } from './usePopupStore';

const DEFAULT_URL = 'http://localhost:8787';

/** Connects the extension to a Clicktrail server; the key is only saved once the server accepts it. */
export function ConnectForm() {
  const { busy, error, connect } = usePopupStore();
  const [baseUrl, setBaseUrl] = useState(DEFAULT_URL);
  const [apiKey, setApiKey] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const ids = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = connectionInputSchema.safeParse({ baseUrl, apiKey });
    if (!parsed.success) {
      setFieldErrors(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])));
      return;
    }
    setFieldErrors({});
    void connect(parsed.data);
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
