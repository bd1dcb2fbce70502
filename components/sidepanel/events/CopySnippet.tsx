import { t } from '@/lib/i18n';
import { useState } from 'react';

/** A code snippet with a Copy button (the clipboard write happens in the click, a user gesture). */
export function CopySnippet({ code, label, testId }: { code: string; label: string; testId: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <div className="snippet">
      <pre tabIndex={0} aria-label={label} data-testid={testId}>
        <code>{code}</code>
      </pre>
      <button
        type="button"
        className="button secondary"
        onClick={() =>
          void navigator.clipboard.writeText(code).then(
            () => setCopied('yes'),
            () => setCopied('failed'),
          )
        }
        data-testid={`${testId}-copy`}
      >
        {t('events.snippet.copy')}
      </button>
      <span role="status" className="muted">
        {copied === 'yes' ? t('events.snippet.copied') : copied === 'failed' ? t('events.snippet.copyFailed') : ''}
      </span>
    </div>
  );
}
