import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Rich } from '@/components/common/Rich';
import { t, tParts } from '@/lib/i18n';
import {
  deriveEventName,
  propertyDefinitionInputSchema,
  propertyPatchSchema,
  propertyTypeSchema,
  type EventDefinition,
  type PropertyDefinition,
  type PropertyType,
} from '@/lib/shared';
import { useEventsStore } from '../useEventsStore';
import { DraftNotice } from './DraftNotice';
import { OptionsEditor, type OptionDraft } from './OptionsEditor';
import { draftKeys } from './useDraftsStore';
import { useDraftForm } from './useDraftForm';

/** What the property form edits (the name and type only for a new property). */
interface PropertyFields extends Record<string, unknown> {
  label: string;
  name: string;
  /** The user typed the internal name (else it follows the label). */
  nameTouched: boolean;
  type: PropertyType;
  description: string;
  options: OptionDraft[];
}

/** The options as one line: "Red (hidden), Blue, Green". */
const optionsText = (options: readonly OptionDraft[]) =>
  options
    .map((option) => (option.hidden ? t('events.property.optionHidden', { label: option.label }) : option.label))
    .join(', ');

/**
 * Adds a custom property to an event, or edits one: label, description and (enumerations) the
 * options. The internal name and type are chosen once and never change, as the API rules. The
 * form checks with the server's schemas before sending; the server's own field errors show at
 * their field. What the user types is kept as a draft until saved or cancelled, and a change made
 * elsewhere meanwhile is shown field by field.
 */
export function PropertyForm({
  definition,
  property,
  onDone,
}: {
  definition: EventDefinition;
  /** The property to edit; a new one when absent. */
  property?: PropertyDefinition;
  onDone: () => void;
}) {
  const id = useId();
  const current: PropertyFields = {
    label: property?.label ?? '',
    name: property?.name ?? '',
    nameTouched: false,
    type: property?.type ?? 'string',
    description: property?.description ?? '',
    options: [...(property?.options ?? [])]
      .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
      .map(({ label, value, hidden }) => ({ label, value, hidden })),
  };
  const form = useDraftForm<PropertyFields>(
    property ? draftKeys.property(definition.name, property.name) : draftKeys.newProperty(definition.name),
    current,
    property ? definition.version : undefined,
    {
      eventName: definition.name,
      what: property ? t('events.draft.whatProperty', { label: property.label }) : t('events.draft.whatNewProperty'),
    },
  );
  const { label, name, nameTouched, type, description, options } = form.fields;
  const set = (change: Partial<PropertyFields>) => form.update({ ...form.fields, ...change });
  const [submitted, setSubmitted] = useState(false);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  // The selector returns what the store holds: a fresh `[]` from it would be a new snapshot on every
  // render, which zustand 5 turns into an endless re-render (React error #185).
  const itemError = useEventsStore((state) => state.itemErrors[definition.name]);
  const serverFields = itemError?.fields ?? [];
  const addProperty = useEventsStore((state) => state.addProperty);
  const updateProperty = useEventsStore((state) => state.updateProperty);

  const parse = (fields: PropertyFields) => {
    const ordered = fields.options.map((option, index) => ({ ...option, displayOrder: index }));
    return property
      ? propertyPatchSchema.safeParse({
          label: fields.label,
          description: fields.description || null,
          ...(property.type === 'enumeration' ? { options: ordered } : {}),
        })
      : propertyDefinitionInputSchema.safeParse({
          name: fields.nameTouched ? fields.name : (deriveEventName(fields.label) ?? ''),
          label: fields.label,
          type: fields.type,
          ...(fields.description ? { description: fields.description } : {}),
          options: fields.type === 'enumeration' ? ordered : [],
        });
  };
  const internalName = property ? property.name : nameTouched ? name : (deriveEventName(label) ?? '');
  const parsed = parse(form.fields);
  const localIssues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  if (property?.type === 'enumeration' && options.length === 0) {
    localIssues.push({ path: 'options', message: t('events.property.needsOption') });
  }
  const errorAt = (path: string) =>
    (submitted ? localIssues.find((issue) => issue.path === path)?.message : undefined) ??
    serverFields.find((detail) => detail.in === path || Boolean(detail.in?.endsWith(`.${path}`)))?.message;

  const save = async (fields: PropertyFields) => {
    setSubmitted(true);
    const result = parse(fields);
    const enumerationEmpty = property?.type === 'enumeration' && fields.options.length === 0;
    if (!result.success || enumerationEmpty || saving) return;
    const saved = property
      ? await updateProperty(definition, property.name, result.data)
      : await addProperty(definition, result.data as Parameters<typeof addProperty>[1]);
    if (saved) {
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

  const field = (path: string, input: ReactNode, labelText: string) => (
    <>
      <label htmlFor={`${id}-${path}`}>{labelText}</label>
      {input}
      {errorAt(path) && (
        <p className="field-error" id={`${id}-${path}-error`} role="alert">
          {errorAt(path)}
        </p>
      )}
    </>
  );
  const described = (path: string) => (errorAt(path) ? `${id}-${path}-error` : undefined);
  const typeLabel = (option: PropertyType) => t(`events.property.type.${option}`);

  return (
    <form
      className="stack property-form"
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && cancel()}
      aria-label={property ? t('events.property.editLabel', { label: property.label }) : t('events.property.newLabel')}
      data-testid="property-form"
    >
      <DraftNotice
        form={form}
        current={current}
        labels={{
          label: t('events.property.label'),
          name: t('events.property.name'),
          nameTouched: t('events.property.name'),
          type: t('events.property.typeLabel'),
          description: t('events.property.description'),
          options: t('events.property.options'),
        }}
        show={(key, value) =>
          key === 'options'
            ? optionsText(value as OptionDraft[])
            : key === 'type'
              ? typeLabel(value as PropertyType)
              : String(value)
        }
        busy={saving}
        onKeepMine={(fields) => void save(fields)}
      />
      {field(
        'label',
        <input
          id={`${id}-label`}
          value={label}
          onChange={(event) => set({ label: event.target.value })}
          aria-invalid={Boolean(errorAt('label'))}
          aria-describedby={described('label')}
          autoFocus
          data-testid="property-label"
        />,
        t('events.property.label'),
      )}
      {property ? (
        <p className="muted" data-testid="property-immutable">
          <Rich
            parts={tParts('events.property.immutable', {
              name: <code key="name">{property.name}</code>,
              type: typeLabel(property.type),
            })}
          />
        </p>
      ) : (
        <>
          {field(
            'name',
            <input
              id={`${id}-name`}
              value={internalName}
              onChange={(event) => set({ nameTouched: true, name: event.target.value })}
              aria-invalid={Boolean(errorAt('name'))}
              aria-describedby={described('name') ?? `${id}-name-hint`}
              spellCheck={false}
              data-testid="property-name"
            />,
            t('events.property.name'),
          )}
          <p className="muted" id={`${id}-name-hint`}>
            {t('events.property.nameHint')}
          </p>
          <label htmlFor={`${id}-type`}>{t('events.property.typeLabel')}</label>
          <select
            id={`${id}-type`}
            value={type}
            onChange={(event) => set({ type: event.target.value as PropertyType })}
            data-testid="property-type"
          >
            {propertyTypeSchema.options.map((option) => (
              <option key={option} value={option}>
                {typeLabel(option)}
              </option>
            ))}
          </select>
        </>
      )}
      {field(
        'description',
        <textarea
          id={`${id}-description`}
          value={description}
          rows={2}
          onChange={(event) => set({ description: event.target.value })}
          aria-describedby={described('description')}
          data-testid="property-description"
        />,
        t('events.property.description'),
      )}
      {(property ? property.type : type) === 'enumeration' && (
        <>
          <OptionsEditor
            options={options}
            onChange={(next) => set({ options: next })}
            errorAt={(index, key) => errorAt(`options.${index}.${key}`)}
          />
          {errorAt('options') && (
            <p className="field-error" role="alert">
              {errorAt('options')}
            </p>
          )}
        </>
      )}
      <div className="row">
        <button type="submit" className="button" disabled={saving} data-testid="property-save">
          {saving ? t('common.saving') : property ? t('events.property.save') : t('events.property.add')}
        </button>
        <button type="button" className="button secondary" onClick={cancel} disabled={saving}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
