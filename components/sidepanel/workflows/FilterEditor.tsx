import { t, type PlainKey } from '@/lib/i18n';
import { DEFAULT_EVENT_PROPERTIES, type EventDefinition, type FilterOperator, type PropertyFilter } from '@/lib/shared';

const OPERATOR_TEXT: Record<FilterOperator, PlainKey> = {
  eq: 'workflows.operator.eq',
  neq: 'workflows.operator.neq',
  contains: 'workflows.operator.contains',
  gt: 'workflows.operator.gt',
  lt: 'workflows.operator.lt',
  in: 'workflows.operator.in',
};

export function newFilter(): PropertyFilter {
  return { property: '', operator: 'eq', value: '' };
}

/** One property filter: property (of the event), operator and value(s). */
export function FilterEditor({
  filter,
  event,
  onChange,
  onRemove,
}: {
  filter: PropertyFilter;
  event: EventDefinition | undefined;
  onChange: (filter: PropertyFilter) => void;
  onRemove: () => void;
}) {
  const properties = [
    ...(event?.properties.map((property) => property.name) ?? []),
    ...Object.keys(DEFAULT_EVENT_PROPERTIES),
  ];
  const setOperator = (operator: FilterOperator) => {
    const text = 'value' in filter ? String(filter.value) : filter.values.join(', ');
    if (operator === 'in') onChange({ property: filter.property, operator, values: text ? text.split(/\s*,\s*/) : [] });
    else if (operator === 'gt' || operator === 'lt')
      onChange({ property: filter.property, operator, value: Number(text) || 0 });
    else onChange({ property: filter.property, operator, value: text });
  };
  return (
    <span className="row" data-testid="filter">
      <input
        aria-label={t('workflows.filterProperty')}
        list={`properties-${event?.name ?? 'none'}`}
        placeholder={t('workflows.propertyPlaceholder')}
        value={filter.property}
        onChange={(change) => onChange({ ...filter, property: change.target.value })}
      />
      <datalist id={`properties-${event?.name ?? 'none'}`}>
        {properties.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <select
        aria-label={t('workflows.operatorLabel')}
        value={filter.operator}
        onChange={(change) => setOperator(change.target.value as FilterOperator)}
      >
        {(Object.keys(OPERATOR_TEXT) as FilterOperator[]).map((operator) => (
          <option key={operator} value={operator}>
            {t(OPERATOR_TEXT[operator])}
          </option>
        ))}
      </select>
      {filter.operator === 'in' ? (
        <input
          aria-label={t('workflows.values')}
          value={filter.values.join(', ')}
          onChange={(change) => onChange({ ...filter, values: change.target.value.split(/\s*,\s*/) })}
        />
      ) : filter.operator === 'gt' || filter.operator === 'lt' ? (
        <input
          aria-label={t('workflows.number')}
          type="number"
          value={filter.value}
          onChange={(change) => onChange({ ...filter, value: Number(change.target.value) })}
        />
      ) : (
        <input
          aria-label={t('workflows.value')}
          value={filter.value}
          onChange={(change) => onChange({ ...filter, value: change.target.value })}
        />
      )}
      <button type="button" className="link" onClick={onRemove}>
        {t('workflows.removeFilter')}
      </button>
    </span>
  );
}
