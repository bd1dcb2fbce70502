import { t } from '@/lib/i18n';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { MessageErrorData } from '@/lib/messaging';
import { checkUrlRule, initialUrlValue } from '@/lib/picker/url-rule-draft';
import { EventNameFields, FormError } from './EventNameFields';
import { usePickerController } from './PickerContext';
import { UrlRuleFields, type UrlRuleDraft } from './UrlRuleFields';
import { useEventNameForm } from './useEventNameForm';

/** Defines a page-view event: which URLs count as a view, and the event's name. */
export function PageViewPanel({ saving, error }: { saving: boolean; error: MessageErrorData | null }) {
  const controller = usePickerController();
  const page = controller.page();
  const title = controller.pageTitle().trim();
  const form = useEventNameForm(t('picker.viewedLabel', { page: title || page.pathname }).slice(0, 100), error);
  const [url, setUrl] = useState<UrlRuleDraft>(() => ({ match: 'path', value: initialUrlValue('path', page) }));
  const check = checkUrlRule(url.match, url.value, page.href);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const names = form.submit();
    if (!names || !check.rule) return;
    void controller.savePageView({ ...names, url: check.rule });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      controller.cancel();
    }
  };

  return (
    <form className="ct-panel" data-testid="pageview-panel" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <h2 className="ct-title">{t('picker.pageViewTitle')}</h2>
      <UrlRuleFields draft={url} check={check} page={page} onChange={setUrl} counts="views" />
      <EventNameFields form={form} />
      <FormError form={form} />
      <div className="ct-actions">
        <button type="button" className="ct-button ct-secondary" onClick={controller.cancel} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="ct-button" data-testid="picker-save" disabled={saving || !check.rule}>
          {saving ? t('common.saving') : t('picker.saveEvent')}
        </button>
      </div>
    </form>
  );
}
