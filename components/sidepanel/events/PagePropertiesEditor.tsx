import { useId, useState } from 'react';
import { t } from '@/lib/i18n';
import { propertyNameFor } from '@/lib/picker/page-property-draft';
import type { PageProperty, PagePropertySource, PropertyDefinition } from '@/lib/shared';

/**
 * A page property as the trigger editor holds it. `label` is set while the definition property it
 * is sent as does not exist yet: saving the trigger adds that property first.
 */
export type PagePropertyDraft = PageProperty & { label?: string };

type AddableKind = 'text' | 'attribute' | 'query';
/** The kinds added here; `relative` comes from picking a second element on the page (the picker). */
const ADDABLE: Record<'click' | 'pageview', AddableKind[]> = {
  click: ['text', 'attribute', 'query'],
  pageview: ['query'],
};
const EMPTY_SOURCE: Record<AddableKind, PagePropertySource> = {
  text: { kind: 'text' },
  attribute: { kind: 'attribute', attribute: '' },
  query: { kind: 'query', parameter: '' },
};
/** `+new`: a new definition property; anything else: the name of an existing one. */
const NEW = '+new';

/**
 * The trigger's page properties — values the tracker reads from the page when the event fires
 * (the clicked element's text or an attribute, an element near it, a URL query parameter) — each
 * sent as one of the event's properties: listed, edited, removed, and added.
 */
export function PagePropertiesEditor({
  kind,
  properties,
  definitionProperties,
  onChange,
  errorAt,
}: {
  kind: 'click' | 'pageview';
  properties: PagePropertyDraft[];
  /** The event's properties as the server has them: what a page property is sent as. */
  definitionProperties: readonly PropertyDefinition[];
  onChange: (properties: PagePropertyDraft[]) => void;
  /** The problem with one field (`properties.0.source.attribute`), if any. */
  errorAt: (path: string) => string | undefined;
}) {
  const id = useId();
  const addable = ADDABLE[kind];
  const [addKind, setAddKind] = useState<AddableKind>(addable[0]!);
  const unused = definitionProperties.filter(
    (property) =>
      (property.type === 'string' || property.type === 'number') &&
      !properties.some((pageProperty) => pageProperty.name === property.name),
  );
  const [sendAs, setSendAs] = useState(NEW);
  const set = (index: number, change: Partial<PagePropertyDraft>) =>
    onChange(properties.map((property, at) => (at === index ? { ...property, ...change } : property)));
  const setSource = (index: number, change: Record<string, string>) => {
    const source = { ...properties[index]!.source, ...change };
    // An empty optional attribute means "its text".
    if (source.kind === 'relative' && !source.attribute) delete source.attribute;
    set(index, { source: source });
  };
  const takenNames = (except?: number) => [
    ...definitionProperties.map((property) => property.name),
    ...properties.filter((_, at) => at !== except).map((property) => property.name),
  ];

  const add = () => {
    const existing = definitionProperties.find((property) => property.name === sendAs);
    const source = EMPTY_SOURCE[addKind];
    if (existing) {
      onChange([
        ...properties,
        { name: existing.name, source, type: existing.type === 'number' ? 'number' : 'string' },
      ]);
    } else {
      const label = t(`events.pageProperty.defaultLabel.${addKind}`);
      onChange([...properties, { name: propertyNameFor(label, takenNames()), label, source, type: 'string' }]);
    }
    setSendAs(NEW);
  };

  const input = (index: number, path: string, value: string, label: string, onValue: (value: string) => void) => {
    const error = errorAt(`properties.${index}.${path}`);
    const inputId = `${id}-${index}-${path}`;
    return (
      <>
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          value={value}
          onChange={(event) => onValue(event.target.value)}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? `${inputId}-error` : undefined}
          spellCheck={false}
          data-testid={`page-property-${path.replace('source.', '')}`}
        />
        {error && (
          <p className="field-error" id={`${inputId}-error`} role="alert">
            {error}
          </p>
        )}
      </>
    );
  };

  return (
    <fieldset className="stack page-properties" data-testid="page-properties">
      <legend>{t('events.pageProperty.legend')}</legend>
      {properties.length === 0 && <p className="muted">{t('events.pageProperty.none')}</p>}
      <ol>
        {properties.map((property, index) => {
          const backing = definitionProperties.find((candidate) => candidate.name === property.name);
          const { source } = property;
          const title = backing?.label ?? property.label ?? property.name;
          return (
            <li key={index} className="stack" data-testid={`page-property-${index}`}>
              <p>
                <strong>{title}</strong> — {t(`events.pageProperty.kind.${source.kind}`)}
              </p>
              {backing ? (
                <p className="muted" data-testid="page-property-sent-as">
                  {t('events.pageProperty.sentAs', {
                    name: backing.name,
                    type: t(`events.property.type.${backing.type}`),
                  })}
                </p>
              ) : (
                <>
                  {input(index, 'label', property.label ?? '', t('events.pageProperty.newLabel'), (label) => {
                    const derived = propertyNameFor(property.label ?? '', takenNames(index));
                    set(index, {
                      label,
                      ...(property.name === derived ? { name: propertyNameFor(label, takenNames(index)) } : {}),
                    });
                  })}
                  {input(index, 'name', property.name, t('events.pageProperty.newName'), (name) =>
                    set(index, { name }),
                  )}
                  <label htmlFor={`${id}-${index}-type`}>{t('events.pageProperty.type')}</label>
                  <select
                    id={`${id}-${index}-type`}
                    value={property.type}
                    onChange={(event) => set(index, { type: event.target.value as PageProperty['type'] })}
                    data-testid="page-property-type"
                  >
                    <option value="string">{t('events.property.type.string')}</option>
                    <option value="number">{t('events.pageProperty.typeNumber')}</option>
                  </select>
                </>
              )}
              {source.kind === 'attribute' &&
                input(index, 'source.attribute', source.attribute, t('events.pageProperty.attribute'), (attribute) =>
                  setSource(index, { attribute }),
                )}
              {source.kind === 'query' &&
                input(index, 'source.parameter', source.parameter, t('events.pageProperty.parameter'), (parameter) =>
                  setSource(index, { parameter }),
                )}
              {source.kind === 'relative' && (
                <>
                  {input(index, 'source.container', source.container, t('events.pageProperty.container'), (container) =>
                    setSource(index, { container }),
                  )}
                  {input(index, 'source.selector', source.selector, t('events.pageProperty.selector'), (selector) =>
                    setSource(index, { selector }),
                  )}
                  {input(
                    index,
                    'source.attribute',
                    source.attribute ?? '',
                    t('events.pageProperty.relativeAttribute'),
                    (attribute) => setSource(index, { attribute }),
                  )}
                </>
              )}
              <div className="row">
                <button
                  type="button"
                  className="link danger"
                  onClick={() => onChange(properties.filter((_, at) => at !== index))}
                  aria-label={t('events.pageProperty.removeOne', { label: title })}
                  data-testid="page-property-remove"
                >
                  {t('events.pageProperty.remove')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <div className="row wrap">
        <label htmlFor={`${id}-add-kind`}>{t('events.pageProperty.addKind')}</label>
        <select
          id={`${id}-add-kind`}
          value={addKind}
          onChange={(event) => setAddKind(event.target.value as AddableKind)}
          data-testid="page-property-add-kind"
        >
          {addable.map((option) => (
            <option key={option} value={option}>
              {t(`events.pageProperty.kind.${option}`)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-send-as`}>{t('events.pageProperty.sendAs')}</label>
        <select
          id={`${id}-send-as`}
          value={sendAs}
          onChange={(event) => setSendAs(event.target.value)}
          data-testid="page-property-send-as"
        >
          <option value={NEW}>{t('events.pageProperty.sendAsNew')}</option>
          {unused.map((property) => (
            <option key={property.name} value={property.name}>
              {property.label} ({property.name})
            </option>
          ))}
        </select>
        <button type="button" className="button secondary" onClick={add} data-testid="page-property-add">
          {t('events.pageProperty.add')}
        </button>
      </div>
      {kind === 'click' && <p className="muted">{t('events.pageProperty.relativeHint')}</p>}
    </fieldset>
  );
}
