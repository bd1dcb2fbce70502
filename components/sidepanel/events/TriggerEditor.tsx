import { useId, useState, type FormEvent } from 'react';
import { UrlRuleFields, type UrlRuleDraft } from '@/components/picker/UrlRuleFields';
import { checkUrlRule } from '@/lib/picker/url-rule-draft';
import {
  conditionOperatorSchema,
  triggerSchema,
  type ClickConditions,
  type EventDefinition,
  type TextCondition,
  type Trigger,
} from '@/lib/shared';
import { useEventsStore } from '../useEventsStore';
import { usePageStore } from './usePageStore';

/** Where the URL rule's live check and suggestions start from when the panel cannot read the tab. */
const NO_PAGE = new URL('https://your-site.example/');

const OPERATOR_LABELS = { exact: 'is exactly', contains: 'contains', regex: 'matches the regular expression' } as const;

/**
 * Edits a click or page-view trigger: the URL rule (with the live check against the tab in front),
 * and for a click event the selector (one of the candidates stored when it was picked) and the
 * text / link conditions. Page properties keep as they are. Saved with the shared schema's rules.
 */
export function TriggerEditor({ definition, onDone }: { definition: EventDefinition; onDone: () => void }) {
  const id = useId();
  const trigger = definition.trigger!;
  const pageUrl = usePageStore((state) => state.url);
  const page = pageUrl ? new URL(pageUrl) : NO_PAGE;
  const [url, setUrl] = useState<UrlRuleDraft>(
    trigger.url.match === 'any'
      ? { match: 'site', value: page.host }
      : { match: trigger.url.match, value: trigger.url.value },
  );
  const [selector, setSelector] = useState(trigger.kind === 'click' ? trigger.element.selector : '');
  const [conditions, setConditions] = useState<ClickConditions>(
    trigger.kind === 'click' ? (trigger.conditions ?? {}) : {},
  );
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const update = useEventsStore((state) => state.update);
  const check = checkUrlRule(url.match, url.value, pageUrl ?? '');

  let next: Trigger | undefined;
  if (check.rule) {
    if (trigger.kind === 'pageview') next = { ...trigger, url: check.rule };
    else {
      const chosen = [trigger.element, ...trigger.element.alternatives].find(
        (candidate) => candidate.selector === selector,
      )!;
      const alternatives = [
        {
          selector: trigger.element.selector,
          quality: trigger.element.quality,
          reasons: trigger.element.reasons,
          matchCount: trigger.element.matchCount,
        },
        ...trigger.element.alternatives,
      ].filter((candidate) => candidate.selector !== selector);
      const kept = Object.fromEntries(
        Object.entries(conditions).filter(([, condition]) => condition && condition.value !== ''),
      );
      next = {
        ...trigger,
        url: check.rule,
        element: {
          ...trigger.element,
          selector: chosen.selector,
          quality: chosen.quality,
          reasons: chosen.reasons,
          alternatives,
        },
        conditions: Object.keys(kept).length > 0 ? kept : undefined,
      };
    }
  }
  const parsed = next ? triggerSchema.safeParse(next) : undefined;
  const problem = check.error ?? (parsed && !parsed.success ? parsed.error.issues[0]?.message : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsed?.success || saving) return;
    if (await update(definition, { trigger: parsed.data })) onDone();
  };
  const setCondition = (key: 'text' | 'href', change: Partial<TextCondition> | null) =>
    setConditions((current) => {
      if (change === null) {
        const { [key]: _gone, ...rest } = current;
        return rest;
      }
      return {
        ...current,
        [key]: { operator: 'contains', value: '', caseInsensitive: false, ...current[key], ...change },
      };
    });

  return (
    <form
      className="stack"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => event.key === 'Escape' && onDone()}
      aria-label={`Trigger of ${definition.label}`}
      data-testid="trigger-editor"
    >
      <UrlRuleFields
        draft={url}
        check={check}
        page={page}
        onChange={setUrl}
        counts={trigger.kind === 'click' ? 'clicks' : 'views'}
      />
      {trigger.kind === 'click' && (
        <>
          <label htmlFor={`${id}-selector`}>Selector</label>
          <select
            id={`${id}-selector`}
            value={selector}
            onChange={(event) => setSelector(event.target.value)}
            data-testid="trigger-selector"
          >
            {[trigger.element, ...trigger.element.alternatives].map((candidate) => (
              <option key={candidate.selector} value={candidate.selector}>
                {candidate.selector} ({candidate.quality}
                {candidate.reasons.length > 0 ? `: ${candidate.reasons.join(', ')}` : ''})
              </option>
            ))}
          </select>
          <p className="muted">To point at another element, use Re-pick on the page.</p>
          {(['text', 'href'] as const).map((key) => {
            const condition = conditions[key];
            const name = key === 'text' ? 'Text' : 'Link';
            return (
              <fieldset key={key} className="condition" data-testid={`condition-${key}`}>
                <legend>{key === 'text' ? 'Only when its text…' : 'Only when its link…'}</legend>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={Boolean(condition)}
                    onChange={(event) => setCondition(key, event.target.checked ? {} : null)}
                  />{' '}
                  Use this condition
                </label>
                {condition && (
                  <div className="row">
                    <select
                      aria-label={`${name} condition operator`}
                      value={condition.operator}
                      onChange={(event) =>
                        setCondition(key, { operator: event.target.value as TextCondition['operator'] })
                      }
                    >
                      {conditionOperatorSchema.options.map((operator) => (
                        <option key={operator} value={operator}>
                          {OPERATOR_LABELS[operator]}
                        </option>
                      ))}
                    </select>
                    <input
                      aria-label={`${name} condition value`}
                      value={condition.value}
                      onChange={(event) => setCondition(key, { value: event.target.value })}
                      data-testid="condition-value"
                    />
                  </div>
                )}
              </fieldset>
            );
          })}
        </>
      )}
      {problem && !check.error && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={saving || !parsed?.success} data-testid="trigger-save">
          {saving ? 'Saving…' : 'Save trigger'}
        </button>
        <button type="button" className="button secondary" onClick={onDone} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
