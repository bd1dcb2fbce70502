import { t } from '@/lib/i18n';
import { useId } from 'react';
import { conditionProblem } from '@/lib/picker/controller';
import type { ConditionOperator, TextCondition } from '@/lib/shared';

interface Props {
  /** `text` or `href`: what the condition looks at. */
  kind: 'text' | 'href';
  condition: TextCondition | undefined;
  /** The picked element's value, to start from. */
  initial: string;
  onChange: (condition: TextCondition | undefined) => void;
}

const OPERATORS: readonly ConditionOperator[] = ['exact', 'contains', 'regex'];

/** The words for each kind of condition (its target's name is part of each sentence). */
const WORDS = {
  text: {
    onlyWhen: 'picker.condition.onlyWhenText',
    comparison: 'picker.condition.comparisonText',
    value: 'picker.condition.valueText',
  },
  href: {
    onlyWhen: 'picker.condition.onlyWhenHref',
    comparison: 'picker.condition.comparisonHref',
    value: 'picker.condition.valueHref',
  },
} as const;

/** An optional condition on the element's text or link target: off, or operator + value (+ case). */
export function ConditionFields({ kind, condition, initial, onChange }: Props) {
  const ids = useId();
  const problem = conditionProblem(condition);
  const words = WORDS[kind];
  return (
    <div className="ct-condition" data-testid={`condition-${kind}`}>
      <label className="ct-check">
        <input
          type="checkbox"
          data-testid={`condition-${kind}-on`}
          checked={condition !== undefined}
          onChange={(event) =>
            onChange(
              event.target.checked
                ? { operator: 'exact', value: initial.slice(0, 256), caseInsensitive: kind === 'text' }
                : undefined,
            )
          }
        />
        {t(words.onlyWhen)}
      </label>
      {condition && (
        <>
          <div className="ct-row">
            <select
              aria-label={t(words.comparison)}
              data-testid={`condition-${kind}-operator`}
              value={condition.operator}
              onChange={(event) => onChange({ ...condition, operator: event.target.value as ConditionOperator })}
            >
              {OPERATORS.map((operator) => (
                <option key={operator} value={operator}>
                  {t(`picker.condition.${operator}`)}
                </option>
              ))}
            </select>
            <input
              id={`${ids}-value`}
              aria-label={t(words.value)}
              data-testid={`condition-${kind}-value`}
              value={condition.value}
              maxLength={256}
              spellCheck={false}
              onChange={(event) => onChange({ ...condition, value: event.target.value })}
              aria-invalid={problem ? true : undefined}
            />
          </div>
          <label className="ct-check">
            <input
              type="checkbox"
              data-testid={`condition-${kind}-case`}
              checked={condition.caseInsensitive}
              onChange={(event) => onChange({ ...condition, caseInsensitive: event.target.checked })}
            />
            {t('picker.condition.ignoreCase')}
          </label>
          {problem && (
            <p className="ct-field-error" role="alert" data-testid={`condition-${kind}-error`}>
              {problem}
            </p>
          )}
        </>
      )}
    </div>
  );
}
