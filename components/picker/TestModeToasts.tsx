import { t, tp } from '@/lib/i18n';
import { useStore } from 'zustand';
import type { TestMode, TestModeEntry, WouldFire } from '@/lib/picker/test-mode';

function Firing({ firing }: { firing: WouldFire }) {
  const properties = Object.entries(firing.properties);
  return (
    <li data-testid="testmode-fired">
      <strong>✓ {firing.label}</strong>
      {firing.signal && (
        <span className={firing.signal === 'selector' ? 'ct-muted' : 'ct-warning'} data-testid="testmode-signal">
          {' '}
          — {t(`picker.testMode.signal.${firing.signal}`)}
        </span>
      )}
      {properties.length > 0 && (
        <dl className="ct-properties">
          {properties.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

function Entry({ entry, onDismiss }: { entry: TestModeEntry; onDismiss: () => void }) {
  const title = t(`picker.testMode.${entry.kind}`, { subject: entry.subject });
  return (
    <section className="ct-test-entry" data-testid="testmode-entry" data-kind={entry.kind} aria-label={title}>
      <header>
        <span>{title}</span>
        <button type="button" className="ct-icon-button" aria-label={t('picker.testMode.dismiss')} onClick={onDismiss}>
          ×
        </button>
      </header>
      {entry.fired.length > 0 ? (
        <ul>
          {entry.fired.map((firing) => (
            <Firing key={firing.name} firing={firing} />
          ))}
        </ul>
      ) : entry.kind === 'click' ? (
        <p data-testid="testmode-nothing">
          {t('picker.testMode.nothingClick', { events: entry.nearMisses.join(', ') })}
        </p>
      ) : (
        <p className="ct-muted" data-testid="testmode-nothing">
          {t('picker.testMode.nothingPageview')}
        </p>
      )}
    </section>
  );
}

/**
 * Test mode's toasts: what each click and page view would send, in a corner of the page. Only the
 * dismiss buttons take the pointer, so the page under the toasts stays usable.
 */
export function TestModeToasts({ testMode }: { testMode: TestMode }) {
  const { active, error, entries, definitionCount } = useStore(testMode.store);
  if (!active) return null;
  return (
    <div
      className="ct-test-mode"
      data-testid="testmode"
      role="log"
      aria-live="polite"
      aria-label={t('picker.testMode.name')}
    >
      <p className="ct-test-banner">
        <strong>{t('picker.testMode.name')}</strong> — {error ?? tp('picker.testMode.testing', definitionCount)}
      </p>
      {entries.map((entry) => (
        <Entry key={entry.id} entry={entry} onDismiss={() => testMode.dismiss(entry.id)} />
      ))}
    </div>
  );
}
