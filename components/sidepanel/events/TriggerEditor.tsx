import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { UrlRuleFields, type UrlRuleDraft } from '@/components/picker/UrlRuleFields';
import { t } from '@/lib/i18n';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import { checkUrlRule } from '@/lib/picker/url-rule-draft';
import {
  conditionOperatorSchema,
  propertyDefinitionInputSchema,
  triggerSchema,
  type ClickConditions,
  type EventDefinition,
  type PropertyDefinitionInput,
  type TextCondition,
  type Trigger,
} from '@/lib/shared';
import { useEventsStore } from '../useEventsStore';
import { DraftNotice } from './DraftNotice';
import { PagePropertiesEditor, type PagePropertyDraft } from './PagePropertiesEditor';
import { draftKeys } from './useDraftsStore';
import { useDraftForm } from './useDraftForm';
import { usePageStore } from './usePageStore';

/** Where the URL rule's live check and suggestions start from when the panel cannot read the tab. */
const NO_PAGE = new URL('https://your-site.example/');

/** What the trigger editor edits, kept as a draft while unsaved. */
interface TriggerFields extends Record<string, unknown> {
  url: UrlRuleDraft;
  selector: string;
  conditions: ClickConditions;
  properties: PagePropertyDraft[];
}

/** A field's value as one line for the side-by-side conflict table. */
function fieldText(field: keyof TriggerFields, value: unknown): string {
  if (field === 'url') {
    const url = value as UrlRuleDraft;
    return `${t(`picker.url.match.${url.match}`)}: ${url.value}`;
  }
  if (field === 'conditions') {
    return Object.entries(value as ClickConditions)
      .filter(([, condition]) => condition)
      .map(([key, condition]) => `${key} ${t(`events.trigger.operator.${condition.operator}`)} ${condition.value}`)
      .join('; ');
  }
  if (field === 'properties') return (value as PagePropertyDraft[]).map((property) => property.name).join(', ');
  return String(value);
}

/**
 * Edits a click or page-view trigger: the URL rule (with the live check against the tab in front),
 * for a click event the selector (one of the candidates stored when it was picked, or a re-pick on
 * the page) and the text / link conditions, and the page properties. Saved with the shared schema's
 * rules; unsaved edits are kept as a draft, and a change made elsewhere meanwhile is shown field by
 * field.
 */
export function TriggerEditor({ definition, onDone }: { definition: EventDefinition; onDone: () => void }) {
  const id = useId();
  const trigger = definition.trigger!;
  const pageUrl = usePageStore((state) => state.url);
  const tabId = usePageStore((state) => state.tabId);
  const page = pageUrl ? new URL(pageUrl) : NO_PAGE;
  const current: TriggerFields = {
    url:
      trigger.url.match === 'any'
        ? { match: 'site', value: page.host }
        : { match: trigger.url.match, value: trigger.url.value },
    selector: trigger.kind === 'click' ? trigger.element.selector : '',
    conditions: trigger.kind === 'click' ? (trigger.conditions ?? {}) : {},
    properties: trigger.properties ?? [],
  };
  const form = useDraftForm<TriggerFields>(draftKeys.trigger(definition.name), current, definition.version, {
    eventName: definition.name,
    what: t('events.draft.whatTrigger'),
  });
  const { url, selector, conditions, properties } = form.fields;
  const set = (change: Partial<TriggerFields>) => form.update({ ...form.fields, ...change });
  const [submitted, setSubmitted] = useState(false);
  const [repick, setRepick] = useState<'started' | MessageErrorData | null>(null);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const saveTrigger = useEventsStore((state) => state.saveTrigger);
  const itemError = useEventsStore((state) => state.itemErrors[definition.name]);
  const serverFields = itemError?.fields ?? [];

  /** The trigger and the definition properties to add first, from the fields; or the problems. */
  const build = (fields: TriggerFields) => {
    const check = checkUrlRule(fields.url.match, fields.url.value, pageUrl ?? '');
    const issues: { path: string; message: string }[] = [];
    const newProperties: PropertyDefinitionInput[] = [];
    fields.properties.forEach((property, index) => {
      if (definition.properties.some((existing) => existing.name === property.name)) return;
      const parsed = propertyDefinitionInputSchema.safeParse({
        name: property.name,
        label: property.label ?? '',
        type: property.type,
        options: [],
      });
      if (parsed.success) newProperties.push(parsed.data);
      else
        issues.push(
          ...parsed.error.issues.map((issue) => ({
            path: `properties.${index}.${issue.path.join('.')}`,
            message: issue.message,
          })),
        );
    });
    if (!check.rule) return { check, issues, trigger: undefined, newProperties };
    const pageProperties = fields.properties.map(({ name, source, type }) => ({ name, source, type }));
    let next: Trigger;
    if (trigger.kind === 'pageview') next = { ...trigger, url: check.rule, properties: pageProperties };
    else {
      const candidates = [trigger.element, ...trigger.element.alternatives];
      const chosen = candidates.find((candidate) => candidate.selector === fields.selector) ?? trigger.element;
      const alternatives = [
        {
          selector: trigger.element.selector,
          quality: trigger.element.quality,
          reasons: trigger.element.reasons,
          matchCount: trigger.element.matchCount,
        },
        ...trigger.element.alternatives,
      ].filter((candidate) => candidate.selector !== chosen.selector);
      const kept = Object.fromEntries(
        Object.entries(fields.conditions).filter(([, condition]) => condition && condition.value !== ''),
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
        properties: pageProperties,
      };
    }
    if (next.properties?.length === 0) delete next.properties;
    const parsed = triggerSchema.safeParse(next);
    if (!parsed.success) {
      issues.push(...parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
    }
    return { check, issues, trigger: parsed.success ? parsed.data : undefined, newProperties };
  };
  const built = build(form.fields);
  const { check } = built;
  // The server's details name the field as `trigger.…` (or `changes.trigger.…` from the background's check).
  const serverAt = (path: string) =>
    serverFields.find((detail) => detail.in?.replace(/^(changes\.)?trigger\./, '') === path)?.message;
  const errorAt = (path: string) =>
    (submitted ? built.issues.find((issue) => issue.path === path)?.message : undefined) ?? serverAt(path);
  // A problem no field shows (the form keeps the user's input; the message says what to fix).
  const shownAt = /^(url\.value|conditions\.(text|href)\.value|properties\.\d+\.(label|name|source\.\w+))$/;
  const unplaced = submitted ? built.issues.find((issue) => !shownAt.test(issue.path)) : undefined;

  const save = async (fields: TriggerFields) => {
    setSubmitted(true);
    const result = build(fields);
    if (!result.trigger || result.issues.length > 0 || saving) return;
    if (await saveTrigger(definition, result.trigger, result.newProperties)) {
      form.discard();
      onDone();
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(form.fields);
  };
  const cancel = () => {
    form.discard();
    onDone();
  };
  const startRepick = async () => {
    setRepick(null);
    if (tabId === null) return;
    try {
      await sendToBackground('picker/start', { tabId, mode: 'element', repick: { name: definition.name } });
      setRepick('started');
    } catch (error) {
      setRepick(errorDataOf(error, t('events.trigger.repickFailed')));
    }
  };
  const setCondition = (key: 'text' | 'href', change: Partial<TextCondition> | null) => {
    if (change === null) {
      const { [key]: _gone, ...rest } = conditions;
      return set({ conditions: rest });
    }
    set({
      conditions: {
        ...conditions,
        [key]: { operator: 'contains', value: '', caseInsensitive: false, ...conditions[key], ...change },
      },
    });
  };

  return (
    <form
      className="stack"
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && cancel()}
      aria-label={t('events.trigger.formLabel', { label: definition.label })}
      data-testid="trigger-editor"
    >
      <DraftNotice
        form={form}
        current={current}
        labels={{
          url: t('events.trigger.url'),
          selector: t('events.trigger.selector'),
          conditions: t('events.trigger.conditions'),
          properties: t('events.pageProperty.legend'),
        }}
        show={fieldText}
        busy={saving}
        onKeepMine={(fields) => void save(fields)}
      />
      <UrlRuleFields
        draft={url}
        check={check}
        page={page}
        onChange={(next) => set({ url: next })}
        counts={trigger.kind === 'click' ? 'clicks' : 'views'}
      />
      {!check.error && errorAt('url.value') && (
        <p className="field-error" role="alert">
          {errorAt('url.value')}
        </p>
      )}
      {trigger.kind === 'click' && (
        <>
          <label htmlFor={`${id}-selector`}>{t('events.trigger.selector')}</label>
          <select
            id={`${id}-selector`}
            value={selector}
            onChange={(event) => set({ selector: event.target.value })}
            data-testid="trigger-selector"
          >
            {[trigger.element, ...trigger.element.alternatives].map((candidate) => (
              <option key={candidate.selector} value={candidate.selector}>
                {candidate.reasons.length > 0
                  ? t('events.trigger.candidateWithReasons', {
                      selector: candidate.selector,
                      quality: candidate.quality,
                      reasons: candidate.reasons.join(', '),
                    })
                  : t('events.trigger.candidate', { selector: candidate.selector, quality: candidate.quality })}
              </option>
            ))}
          </select>
          <div className="row wrap">
            <button
              type="button"
              className="button secondary"
              onClick={() => void startRepick()}
              disabled={tabId === null || !pageUrl}
              data-testid="trigger-repick"
            >
              {t('events.trigger.repick')}
            </button>
            {repick === 'started' && (
              <span className="muted" role="status" data-testid="trigger-repick-started">
                {t('events.trigger.repickStarted')}
              </span>
            )}
          </div>
          {repick !== 'started' && <ErrorMessage error={repick} />}
          {(['text', 'href'] as const).map((key) => {
            const condition = conditions[key];
            const error = errorAt(`conditions.${key}.value`);
            return (
              <fieldset key={key} className="condition" data-testid={`condition-${key}`}>
                <legend>{t(`events.trigger.condition.${key}`)}</legend>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={Boolean(condition)}
                    onChange={(event) => setCondition(key, event.target.checked ? {} : null)}
                  />{' '}
                  {t('events.trigger.useCondition')}
                </label>
                {condition && (
                  <div className="row">
                    <select
                      aria-label={t(`events.trigger.conditionOperator.${key}`)}
                      value={condition.operator}
                      onChange={(event) =>
                        setCondition(key, { operator: event.target.value as TextCondition['operator'] })
                      }
                    >
                      {conditionOperatorSchema.options.map((operator) => (
                        <option key={operator} value={operator}>
                          {t(`events.trigger.operator.${operator}`)}
                        </option>
                      ))}
                    </select>
                    <input
                      aria-label={t(`events.trigger.conditionValue.${key}`)}
                      value={condition.value}
                      onChange={(event) => setCondition(key, { value: event.target.value })}
                      aria-invalid={Boolean(error)}
                      data-testid="condition-value"
                    />
                  </div>
                )}
                {error && (
                  <p className="field-error" role="alert">
                    {error}
                  </p>
                )}
              </fieldset>
            );
          })}
        </>
      )}
      <PagePropertiesEditor
        kind={trigger.kind}
        properties={properties}
        definitionProperties={definition.properties}
        onChange={(next) => set({ properties: next })}
        errorAt={errorAt}
      />
      {unplaced && (
        <p className="field-error" role="alert">
          {unplaced.message}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={saving} data-testid="trigger-save">
          {saving ? t('common.saving') : t('events.trigger.save')}
        </button>
        <button type="button" className="button secondary" onClick={cancel} disabled={saving}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
