import { useId, useState, type FormEvent } from 'react';
import { cancelPicking, saveDefinition } from '@/lib/picker/controller';
import type { MessageErrorData } from '@/lib/messaging';
import { matchesUrlRule, type UrlRule } from '@/lib/shared';
import { EventNameFields, FormError } from './EventNameFields';
import { cancelOnEscape } from './NamingPanel';
import { useEventNameForm } from './useEventNameForm';

type Match = Exclude<UrlRule['match'], 'any'>;

/** The rule's value for this page, as the user starts from it. */
function initialValue(match: Match, location: Location): string {
  switch (match) {
    case 'path':
      return location.pathname;
    case 'exact':
      return `${location.origin}${location.pathname}${location.search}`;
    case 'prefix':
      return `${location.origin}${location.pathname.replace(/[^/]*$/, '')}`;
    case 'wildcard':
      return `${location.pathname.replace(/[^/]*$/, '')}*`;
  }
}

const DESCRIPTIONS: Record<Match, string> = {
  path: 'This path on any domain (ignores query and #)',
  exact: 'Exactly this URL (ignores #)',
  prefix: 'URLs that start with…',
  wildcard: 'URLs that match a pattern (* = anything)',
};

/** Defines a page-view event: which URLs count as a view, and the event's name. */
export function PageViewPanel({ saving, error }: { saving: boolean; error: MessageErrorData | null }) {
  const form = useEventNameForm(`Viewed ${document.title.trim() || window.location.pathname}`.slice(0, 100), error);
  const [match, setMatch] = useState<Match>('path');
  const [value, setValue] = useState(() => initialValue('path', window.location));
  const ids = useId();
  const rule: UrlRule = { match, value: value.trim() };
  const valid = rule.value.length > 0;
  const matchesHere = valid && matchesUrlRule(rule, window.location.href);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const names = form.submit();
    if (!names || !valid) return;
    void saveDefinition({ ...names, trackingType: 'VISITED_URL', trigger: { kind: 'pageview', url: rule } });
  };

  return (
    <form className="ct-panel" data-testid="pageview-panel" onSubmit={submit} onKeyDown={cancelOnEscape} noValidate>
      <h2 className="ct-title">Track views of this page</h2>

      <label htmlFor={`${ids}-match`}>Count a view on</label>
      <select
        id={`${ids}-match`}
        data-testid="pageview-match"
        value={match}
        onChange={(event) => {
          const next = event.target.value as Match;
          setMatch(next);
          setValue(initialValue(next, window.location));
        }}
      >
        {(Object.keys(DESCRIPTIONS) as Match[]).map((key) => (
          <option key={key} value={key}>
            {DESCRIPTIONS[key]}
          </option>
        ))}
      </select>
      <input
        aria-label="URL rule"
        data-testid="pageview-value"
        value={value}
        maxLength={1024}
        readOnly={match === 'path' || match === 'exact'}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={valid ? undefined : true}
      />
      <p className={matchesHere ? 'ct-muted' : 'ct-field-error'} data-testid="pageview-check">
        {!valid
          ? 'Enter the URL rule.'
          : matchesHere
            ? 'This page matches the rule.'
            : 'This page does not match the rule: views of it will not count.'}
      </p>

      <EventNameFields form={form} />
      <FormError form={form} />
      <div className="ct-actions">
        <button type="button" className="ct-button ct-secondary" onClick={cancelPicking} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="ct-button" data-testid="picker-save" disabled={saving || !valid}>
          {saving ? 'Saving…' : 'Save event'}
        </button>
      </div>
    </form>
  );
}
