import { useId } from 'react';
import {
  URL_MATCH_DESCRIPTIONS,
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
      <label htmlFor={`${ids}-match`}>{counts === 'views' ? 'Count a view on' : 'Track on'}</label>
      <select
        id={`${ids}-match`}
        data-testid="url-match"
        value={draft.match}
        onChange={(event) => {
          const match = event.target.value as UrlMatch;
          onChange({ match, value: initialUrlValue(match, page) });
        }}
      >
        {(Object.keys(URL_MATCH_DESCRIPTIONS) as UrlMatch[]).map((key) => (
          <option key={key} value={key}>
            {URL_MATCH_DESCRIPTIONS[key]}
          </option>
        ))}
      </select>
      <input
        aria-label="URL rule"
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
            ? 'This page matches the rule.'
            : `This page does not match the rule: ${counts} here will not count.`)}
      </p>
    </>
  );
}
