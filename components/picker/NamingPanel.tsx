import { formatNumber, t, tp, type PlainKey } from '@/lib/i18n';
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { conditionProblem } from '@/lib/picker/controller';
import type { PickerView } from '@/lib/picker/picker-store';
import { checkUrlRule, initialUrlValue } from '@/lib/picker/url-rule-draft';
import { PROPERTY_NAME_PATTERN, type UrlRule } from '@/lib/shared';
import { ConditionFields } from './ConditionFields';
import { EventNameFields, FormError } from './EventNameFields';
import { usePickerController, usePickerState } from './PickerContext';
import { PropertyList } from './PropertyList';
import { UrlRuleFields, type UrlRuleDraft } from './UrlRuleFields';
import { useEventNameForm } from './useEventNameForm';

type NamingView = Extract<PickerView, { phase: 'naming' }>;

const isTextField = (target: EventTarget) =>
  target instanceof HTMLElement && (/^(input|textarea|select)$/i.test(target.tagName) || target.isContentEditable);

/** After a pick: what was picked, how robust and how broad its trigger is, and the event's name. */
export function NamingPanel({ view }: { view: NamingView }) {
  const controller = usePickerController();
  const repick = usePickerState((state) => state.repick);
  const [keepUrl, setKeepUrl] = useState(true);
  const { picked, draft, preview, saving, error } = view;
  const form = useEventNameForm(picked.suggestedLabel, error);
  const page = controller.page();
  const [url, setUrl] = useState<UrlRuleDraft>(() => ({ match: 'path', value: initialUrlValue('path', page) }));
  const urlCheck = checkUrlRule(url.match, url.value, page.href);
  const ids = useId();
  const { trigger } = picked;
  const conditionsOk = !conditionProblem(draft.conditions.text) && !conditionProblem(draft.conditions.href);
  const propertiesOk = draft.properties.every((p) => PROPERTY_NAME_PATTERN.test(p.name) && p.label.trim());
  const busy = saving || view.pickingProperty;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      controller.cancel();
      return;
    }
    // ↑ / ↓ move the pick, except where they edit a field (Alt+↑ / Alt+↓ work everywhere).
    if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && (event.altKey || !isTextField(event.target))) {
      if (controller.handleKey(event.nativeEvent)) event.preventDefault();
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (repick) {
      const rule = keepUrl ? repick.trigger.url : urlCheck.rule;
      if (rule && conditionsOk) void controller.saveRepick(rule);
      return;
    }
    const names = form.submit();
    if (!names || !urlCheck.rule || !conditionsOk || !propertiesOk) return;
    void controller.save({ ...names, url: urlCheck.rule });
  };

  const count = preview.found;
  const conditional = draft.conditions.text || draft.conditions.href;
  return (
    <form
      // While the user picks a property, the panel steps aside: the element they want may lie under it.
      className={view.pickingProperty ? 'ct-panel ct-aside' : 'ct-panel'}
      data-testid="picker-panel"
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
    >
      <h2 className="ct-title" data-testid="picker-title">
        {repick
          ? t('picker.repickTitle', { label: repick.definition.label, element: picked.label })
          : t('picker.title', { element: picked.label })}
      </h2>
      {repick && <RepickComparison oldSelector={repick.trigger.element.selector} oldFound={repick.oldFound} />}
      {picked.notice && (
        <p className="ct-error" role="alert" data-testid="picker-notice">
          {picked.notice}
        </p>
      )}
      <div className="ct-row">
        <button
          type="button"
          className="ct-button ct-secondary ct-small"
          data-testid="picker-parent"
          onClick={controller.moveToParent}
          disabled={!picked.canParent || busy}
          title={t('picker.parentHint')}
        >
          {t('picker.parent')}
        </button>
        <button
          type="button"
          className="ct-button ct-secondary ct-small"
          data-testid="picker-child"
          onClick={controller.moveToChild}
          disabled={!picked.canChild || busy}
          title={t('picker.childHint')}
        >
          {t('picker.child')}
        </button>
        <div className="ct-segmented" role="group" aria-label={t('picker.whichElements')}>
          <button
            type="button"
            className="ct-button ct-secondary ct-small"
            data-testid="picker-mode-unique"
            aria-pressed={draft.mode === 'unique'}
            onClick={() => controller.setMode('unique')}
            disabled={busy}
          >
            {t('picker.thisElement')}
          </button>
          <button
            type="button"
            className="ct-button ct-secondary ct-small"
            data-testid="picker-mode-similar"
            aria-pressed={draft.mode === 'similar'}
            onClick={() => controller.setMode('similar')}
            disabled={busy}
          >
            {t('picker.allSimilar')}
          </button>
        </div>
      </div>
      <div className="ct-selector">
        <code data-testid="picker-selector">{trigger.selector}</code>
        <span className={`ct-badge ct-${trigger.quality}`} data-testid="picker-quality">
          {t(`picker.quality.${trigger.quality}`)}
        </span>
      </div>
      <p className="ct-muted" data-testid="picker-match-count">
        {tp('picker.matchCount', count)}
        {trigger.reasons.length > 0 ? ` · ${trigger.reasons.map(reasonText).join(', ')}` : ''}
      </p>

      <fieldset className="ct-fieldset" data-testid="picker-conditions">
        <legend>{t('picker.conditions')}</legend>
        <ConditionFields
          kind="text"
          condition={draft.conditions.text}
          initial={picked.text}
          onChange={(text) => controller.setConditions({ ...draft.conditions, text })}
        />
        {picked.href !== undefined && (
          <ConditionFields
            kind="href"
            condition={draft.conditions.href}
            initial={picked.href}
            onChange={(href) => controller.setConditions({ ...draft.conditions, href })}
          />
        )}
        {conditional && (
          <p className="ct-muted" data-testid="picker-condition-count">
            {t('picker.conditionCount', { passing: formatNumber(preview.passing), count: formatNumber(count) })}
          </p>
        )}
      </fieldset>

      {repick && (repick.trigger.properties?.length ?? 0) > 0 && (
        <p className="ct-muted">{tp('picker.keepsProperties', repick.trigger.properties!.length)}</p>
      )}
      <PropertyList
        picked={picked}
        properties={draft.properties}
        preview={preview}
        pickingProperty={view.pickingProperty}
        propertyError={view.propertyError}
        disabled={saving}
      />
      {repick ? (
        <label className="ct-check">
          <input
            type="checkbox"
            checked={keepUrl}
            onChange={(event) => setKeepUrl(event.target.checked)}
            data-testid="repick-keep-url"
          />
          {t('picker.keepUrlRule', { rule: describeUrlRule(repick.trigger.url) })}
        </label>
      ) : (
        <EventNameFields form={form} />
      )}
      {(!repick || !keepUrl) && (
        <div id={`${ids}-url`}>
          <UrlRuleFields draft={url} check={urlCheck} page={page} onChange={setUrl} counts="clicks" />
        </div>
      )}

      <FormError form={form} />
      <div className="ct-actions">
        <button type="button" className="ct-button ct-secondary" onClick={controller.cancel} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button type="button" className="ct-button ct-secondary" onClick={controller.restart} disabled={saving}>
          {t('picker.pickAgain')}
        </button>
        <button
          type="submit"
          className="ct-button"
          data-testid="picker-save"
          disabled={busy || (!(repick && keepUrl) && !urlCheck.rule) || !conditionsOk || !propertiesOk}
        >
          {saving ? t('common.saving') : repick ? t('picker.updateTrigger') : t('picker.saveEvent')}
        </button>
      </div>
    </form>
  );
}

/** A URL rule in words, e.g. `path /pricing`. */
function describeUrlRule(rule: UrlRule): string {
  return rule.match === 'any' ? t('picker.url.everyPage') : `${t(`picker.url.short.${rule.match}`)} ${rule.value}`;
}

/** The event's selector before and the picked one after, each with what it finds on this page. */
function RepickComparison({ oldSelector, oldFound }: { oldSelector: string; oldFound: number }) {
  const preview = usePickerState((state) => (state.view.phase === 'naming' ? state.view : null));
  if (!preview) return null;
  const found = preview.preview.found;
  return (
    <dl className="ct-compare" data-testid="picker-repick-compare">
      <div>
        <dt>{t('picker.before')}</dt>
        <dd>
          <code>{oldSelector}</code> {tp('picker.findsHere', oldFound)}
        </dd>
      </div>
      <div>
        <dt>{t('picker.after')}</dt>
        <dd>
          <code>{preview.picked.trigger.selector}</code> {tp('picker.findsHere', found)}
        </dd>
      </div>
    </dl>
  );
}

/** The selector analyser's reasons (stored with the trigger in English) in the user's words. */
const REASONS: Partial<Record<string, PlainKey>> = {
  'test attribute': 'picker.reason.testAttribute',
  'stable id': 'picker.reason.stableId',
  'stable attribute': 'picker.reason.stableAttribute',
  'data attribute': 'picker.reason.dataAttribute',
  'stable class': 'picker.reason.stableClass',
  'depends on text': 'picker.reason.dependsOnText',
  'nth-child position': 'picker.reason.nthChild',
  'several nth-child positions': 'picker.reason.severalNthChild',
  'generic tag': 'picker.reason.genericTag',
  'long chain': 'picker.reason.longChain',
  'selector list': 'picker.reason.selectorList',
  'matches nothing': 'picker.reason.matchesNothing',
};

function reasonText(reason: string): string {
  const key = REASONS[reason];
  if (key) return t(key);
  const matches = /^matches (\d+) elements$/.exec(reason);
  return matches ? tp('picker.reason.matches', Number(matches[1])) : reason;
}
