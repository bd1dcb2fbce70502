import { t } from '@/lib/i18n';
import { useId, useState } from 'react';
import type { PickPreview, Picked, PropertyDraft } from '@/lib/picker/picker-store';
import { PROPERTY_NAME_PATTERN } from '@/lib/shared';
import { usePickerController } from './PickerContext';

interface Props {
  picked: Picked;
  properties: readonly PropertyDraft[];
  preview: PickPreview;
  pickingProperty: boolean;
  propertyError: string | null;
  disabled: boolean;
}

/** Properties sent with each completion, read from the page; each with its value on this page. */
export function PropertyList({ picked, properties, preview, pickingProperty, propertyError, disabled }: Props) {
  const controller = usePickerController();
  const ids = useId();
  const [attribute, setAttribute] = useState('');
  const [parameter, setParameter] = useState('');
  // forEach, not the iterator: Firefox's content-script wrappers do not make it iterable.
  const query: string[] = [];
  new URL(controller.page().href).searchParams.forEach((_value, key) => {
    if (!query.includes(key)) query.push(key);
  });

  return (
    <fieldset className="ct-fieldset" data-testid="picker-properties">
      <legend>{t('picker.property.legend')}</legend>
      {properties.map((property) => {
        const reading = preview.properties.find((r) => r.name === property.name);
        const nameOk = PROPERTY_NAME_PATTERN.test(property.name) && property.name.length <= 50;
        return (
          <div className="ct-property-item" key={property.name} data-testid={`property-${property.name}`}>
            <div className="ct-row">
              <input
                aria-label={t('picker.property.label')}
                data-testid="property-label"
                value={property.label}
                maxLength={100}
                onChange={(event) => controller.updateProperty(property.name, { label: event.target.value })}
              />
              <input
                aria-label={t('picker.property.name')}
                data-testid="property-name"
                defaultValue={property.name}
                maxLength={50}
                aria-invalid={nameOk ? undefined : true}
                onBlur={(event) => {
                  const name = event.target.value.trim();
                  if (name && name !== property.name) controller.updateProperty(property.name, { name });
                }}
              />
              <select
                aria-label={t('picker.property.type')}
                data-testid="property-type"
                value={property.type}
                onChange={(event) =>
                  controller.updateProperty(property.name, { type: event.target.value as PropertyDraft['type'] })
                }
              >
                <option value="string">{t('picker.property.typeText')}</option>
                <option value="number">{t('picker.property.typeNumber')}</option>
              </select>
              <button
                type="button"
                className="ct-button ct-secondary ct-small"
                aria-label={t('picker.property.remove', { label: property.label })}
                onClick={() => controller.removeProperty(property.name)}
              >
                ✕
              </button>
            </div>
            <span className="ct-muted">{property.description}</span>
            {!nameOk && <span className="ct-field-error">{t('picker.property.nameRule')}</span>}
            <span
              className={reading && 'value' in reading ? 'ct-muted' : 'ct-field-error'}
              data-testid="property-preview"
            >
              {!reading
                ? ''
                : 'value' in reading
                  ? t('picker.property.onThisPage', { value: reading.value })
                  : t('picker.property.noValue', { reason: reading.missing })}
            </span>
          </div>
        );
      })}
      {propertyError && (
        <p className="ct-field-error" role="alert" data-testid="property-error">
          {propertyError}
        </p>
      )}
      <div className="ct-row">
        <button
          type="button"
          className="ct-button ct-secondary ct-small"
          data-testid="property-pick"
          onClick={controller.pickProperty}
          disabled={disabled || pickingProperty}
        >
          {pickingProperty ? t('picker.property.pickOnPage') : t('picker.property.addFromPage')}
        </button>
        <button
          type="button"
          className="ct-button ct-secondary ct-small"
          data-testid="property-own-text"
          disabled={disabled}
          onClick={() =>
            controller.addProperty({
              label: t('picker.property.elementText'),
              type: 'string',
              source: { kind: 'text' },
              description: t('picker.property.ownTextDescription', { tag: picked.trigger.fingerprint.tag }),
            })
          }
        >
          {t('picker.property.ownText')}
        </button>
      </div>
      <div className="ct-row">
        <select
          aria-label={t('picker.property.attribute')}
          data-testid="property-attribute"
          value={attribute}
          onChange={(event) => setAttribute(event.target.value)}
        >
          <option value="">{t('picker.property.attributeChoose')}</option>
          {picked.attributes.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="ct-button ct-secondary ct-small"
          disabled={disabled || !attribute}
          onClick={() => {
            controller.addProperty({
              label: attribute.replace(/^(data|aria)-/, '').replace(/[-_]+/g, ' '),
              type: 'string',
              source: { kind: 'attribute', attribute },
              description: t('picker.property.attributeDescription', { attribute }),
            });
            setAttribute('');
          }}
        >
          {t('common.add')}
        </button>
      </div>
      <div className="ct-row">
        <input
          id={`${ids}-query`}
          aria-label={t('picker.property.query')}
          data-testid="property-query"
          list={`${ids}-query-list`}
          placeholder={t('picker.property.queryExample')}
          value={parameter}
          maxLength={200}
          onChange={(event) => setParameter(event.target.value)}
        />
        <datalist id={`${ids}-query-list`}>
          {query.map((key) => (
            <option key={key} value={key} />
          ))}
        </datalist>
        <button
          type="button"
          className="ct-button ct-secondary ct-small"
          disabled={disabled || !parameter.trim()}
          onClick={() => {
            controller.addProperty({
              label: parameter.trim(),
              type: 'string',
              source: { kind: 'query', parameter: parameter.trim() },
              description: t('picker.property.queryDescription', { parameter: parameter.trim() }),
            });
            setParameter('');
          }}
        >
          {t('common.add')}
        </button>
      </div>
    </fieldset>
  );
}
