import {
  DEFAULT_EVENT_PROPERTIES,
  FILTER_OPERATOR_LABELS,
  type EventDefinition,
  type FilterOperator,
  type PropertyFilter,
} from '@/lib/shared';

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
        aria-label="Filter property"
        list={`properties-${event?.name ?? 'none'}`}
        placeholder="property"
        value={filter.property}
        onChange={(change) => onChange({ ...filter, property: change.target.value })}
      />
      <datalist id={`properties-${event?.name ?? 'none'}`}>
        {properties.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      <select
        aria-label="Operator"
        value={filter.operator}
        onChange={(change) => setOperator(change.target.value as FilterOperator)}
      >
        {(Object.keys(FILTER_OPERATOR_LABELS) as FilterOperator[]).map((operator) => (
          <option key={operator} value={operator}>
            {FILTER_OPERATOR_LABELS[operator]}
          </option>
        ))}
      </select>
      {filter.operator === 'in' ? (
        <input
          aria-label="Values (comma-separated)"
          value={filter.values.join(', ')}
          onChange={(change) => onChange({ ...filter, values: change.target.value.split(/\s*,\s*/) })}
        />
      ) : filter.operator === 'gt' || filter.operator === 'lt' ? (
        <input
          aria-label="Number"
          type="number"
          value={filter.value}
          onChange={(change) => onChange({ ...filter, value: Number(change.target.value) })}
        />
      ) : (
        <input
          aria-label="Value"
          value={filter.value}
          onChange={(change) => onChange({ ...filter, value: change.target.value })}
        />
      )}
      <button type="button" className="link" onClick={onRemove}>
        Remove filter
      </button>
    </span>
  );
}
