import { useStore } from 'zustand';
import type { TestMode, TestModeEntry, WouldFire } from '@/lib/picker/test-mode';

const SIGNAL_TEXT: Record<NonNullable<WouldFire['signal']>, string> = {
  selector: 'found by its selector',
  alternative: 'found by an alternative selector (its main selector no longer matches)',
  fingerprint: 'found by its fingerprint only — every selector broke; re-pick it to make it robust',
};

function Firing({ firing }: { firing: WouldFire }) {
  const properties = Object.entries(firing.properties);
  return (
    <li data-testid="testmode-fired">
      <strong>✓ {firing.label}</strong>
      {firing.signal && (
        <span className={firing.signal === 'selector' ? 'ct-muted' : 'ct-warning'} data-testid="testmode-signal">
          {' '}
          — {SIGNAL_TEXT[firing.signal]}
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
  const title =
    entry.kind === 'click'
      ? `Click on ${entry.subject}`
      : entry.kind === 'custom'
        ? `Custom code of ${entry.subject} would send`
        : `Page view ${entry.subject}`;
  return (
    <section className="ct-test-entry" data-testid="testmode-entry" data-kind={entry.kind} aria-label={title}>
      <header>
        <span>{title}</span>
        <button type="button" className="ct-icon-button" aria-label="Dismiss" onClick={onDismiss}>
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
          ✗ Nothing would fire. Tracked clicks on this kind of element: {entry.nearMisses.join(', ')} — not this
          element, or a condition left it out.
        </p>
      ) : (
        <p className="ct-muted" data-testid="testmode-nothing">
          No page-view event covers this page.
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
      aria-label="Clicktrail test mode"
    >
      <p className="ct-test-banner">
        <strong>Clicktrail test mode</strong> — {error ?? `testing ${definitionCount} events. Nothing is sent.`}
      </p>
      {entries.map((entry) => (
        <Entry key={entry.id} entry={entry} onDismiss={() => testMode.dismiss(entry.id)} />
      ))}
    </div>
  );
}
