import { useId } from 'react';
import { t } from '@/lib/i18n';
import {
  URL_MATCHES,
  initialUrlValue,
  type PageAddress,
  type UrlMatch,
  type UrlRuleCheck,
} from '@/lib/picker/url-rule-draft';

export interface UrlRuleDraft {
  match: UrlMatch;
  value: string;
}

interface Props {
  draft: UrlRuleDraft;
  check: UrlRuleCheck;
  page: PageAddress;
  onChange: (draft: UrlRuleDraft) => void;
  /** What the rule counts, for the live check's wording ("views" or "clicks"). */
  counts: 'views' | 'clicks';
}

/** Which pages a definition applies to, with the live "matches this page" check. */
export function UrlRuleFields({ draft, check, page, onChange, counts }: Props) {
  const ids = useId();
  const readOnly = draft.match === 'path' || draft.match === 'exact' || draft.match === 'site';
  return (
    <>
      <label htmlFor={`${ids}-match`}>
        {counts === 'views' ? t('picker.url.countViewOn') : t('picker.url.trackOn')}
      </label>
      <select
        id={`${ids}-match`}
        data-testid="url-match"
        value={draft.match}
        onChange={(event) => {
          const match = event.target.value as UrlMatch;
          onChange({ match, value: initialUrlValue(match, page) });
        }}
      >
        {URL_MATCHES.map((key) => (
          <option key={key} value={key}>
            {t(`picker.url.match.${key}`)}
          </option>
        ))}
      </select>
      <input
        aria-label={t('picker.url.rule')}
        data-testid="url-value"
        value={draft.value}
        maxLength={1024}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(event) => onChange({ ...draft, value: event.target.value })}
        aria-invalid={check.error ? true : undefined}
      />
      <p
        className={check.error || !check.matchesPage ? 'ct-field-error' : 'ct-muted'}
        data-testid="url-check"
        role={check.error ? 'alert' : undefined}
      >
        {check.error ??
          (check.matchesPage
            ? t('picker.url.matches')
            : counts === 'views'
              ? t('picker.url.noMatchViews')
              : t('picker.url.noMatchClicks'))}
      </p>
    </>
  );
}
