import { useId, useState, type FormEvent } from 'react';
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
import { OptionsEditor, type OptionDraft } from './OptionsEditor';

const TYPE_LABELS: Record<PropertyType, string> = {
  string: 'Text',
  number: 'Number',
  datetime: 'Date and time',
  enumeration: 'One of a list (enumeration)',
};

/**
 * Adds a custom property to an event, or edits one: label, description and (enumerations) the
 * options. The internal name and type are chosen once and never change, as the API rules. The
 * form checks with the server's schemas before sending; the server's own field errors show at
 * their field.
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
  const [label, setLabel] = useState(property?.label ?? '');
  const [name, setName] = useState(property?.name ?? '');
  const [nameTouched, setNameTouched] = useState(false);
  const [type, setType] = useState<PropertyType>(property?.type ?? 'string');
  const [description, setDescription] = useState(property?.description ?? '');
  const [options, setOptions] = useState<OptionDraft[]>(
    property?.options.map(({ label, value, hidden }) => ({ label, value, hidden })) ?? [],
  );
  const [submitted, setSubmitted] = useState(false);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  // The selector returns what the store holds: a fresh `[]` from it would be a new snapshot on every
  // render, which zustand 5 turns into an endless re-render (React error #185).
  const itemError = useEventsStore((state) => state.itemErrors[definition.name]);
  const serverFields = itemError?.fields ?? [];
  const addProperty = useEventsStore((state) => state.addProperty);
  const updateProperty = useEventsStore((state) => state.updateProperty);

  const internalName = property ? property.name : nameTouched ? name : (deriveEventName(label) ?? '');
  const orderedOptions = options.map((option, index) => ({ ...option, displayOrder: index }));
  const parsed = property
    ? propertyPatchSchema.safeParse({
        label,
        description: description || null,
        ...(property.type === 'enumeration' ? { options: orderedOptions } : {}),
      })
    : propertyDefinitionInputSchema.safeParse({
        name: internalName,
        label,
        type,
        ...(description ? { description } : {}),
        options: type === 'enumeration' ? orderedOptions : [],
      });
  const localIssues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  if (property?.type === 'enumeration' && options.length === 0) {
    localIssues.push({ path: 'options', message: 'an enumeration property needs at least one option' });
  }
  const errorAt = (path: string) =>
    (submitted ? localIssues.find((issue) => issue.path === path)?.message : undefined) ??
    serverFields.find((detail) => detail.in === path || Boolean(detail.in?.endsWith(`.${path}`)))?.message;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!parsed.success || localIssues.length > 0 || saving) return;
    const saved = property
      ? await updateProperty(definition, property.name, parsed.data)
      : await addProperty(definition, parsed.data as Parameters<typeof addProperty>[1]);
    if (saved) onDone();
  };

  const field = (path: string, input: React.ReactNode, labelText: string) => (
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

  return (
    <form
      className="stack property-form"
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => event.key === 'Escape' && onDone()}
      aria-label={property ? `Edit property ${property.label}` : 'New property'}
      data-testid="property-form"
    >
      {field(
        'label',
        <input
          id={`${id}-label`}
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          aria-invalid={Boolean(errorAt('label'))}
          aria-describedby={described('label')}
          autoFocus
          data-testid="property-label"
        />,
        'Label',
      )}
      {property ? (
        <p className="muted" data-testid="property-immutable">
          Internal name <code>{property.name}</code> and type {TYPE_LABELS[property.type].toLowerCase()} cannot change.
        </p>
      ) : (
        <>
          {field(
            'name',
            <input
              id={`${id}-name`}
              value={internalName}
              onChange={(event) => {
                setNameTouched(true);
                setName(event.target.value);
              }}
              aria-invalid={Boolean(errorAt('name'))}
              aria-describedby={described('name') ?? `${id}-name-hint`}
              spellCheck={false}
              data-testid="property-name"
            />,
            'Internal name',
          )}
          <p className="muted" id={`${id}-name-hint`}>
            Used by the API and in completions; it cannot change once saved.
          </p>
          <label htmlFor={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={type}
            onChange={(event) => setType(event.target.value as PropertyType)}
            data-testid="property-type"
          >
            {propertyTypeSchema.options.map((option) => (
              <option key={option} value={option}>
                {TYPE_LABELS[option]}
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
          onChange={(event) => setDescription(event.target.value)}
          aria-describedby={described('description')}
          data-testid="property-description"
        />,
        'Description',
      )}
      {(property ? property.type : type) === 'enumeration' && (
        <>
          <OptionsEditor
            options={options}
            onChange={setOptions}
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
          {saving ? 'Saving…' : property ? 'Save property' : 'Add property'}
        </button>
        <button type="button" className="button secondary" onClick={onDone} disabled={saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
