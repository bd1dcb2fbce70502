import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { errorDataOf, type MessageErrorData } from '@/lib/messaging';
import {
  DEFAULT_EVENT_PROPERTIES,
  deriveEventName,
  IMPORT_DATE_FORMATS,
  LIMITS,
  type EventDefinition,
  type ImportColumnTarget,
  type ImportDateFormat,
  type ImportPreview,
  type ImportStart,
  type PropertyType,
} from '@/lib/shared';
import type { ImportTarget } from './ImportSetupForm';

/** Types a new property can take here (an enumeration needs its options first: create it on the event). */
const NEW_PROPERTY_TYPES: PropertyType[] = ['string', 'number', 'datetime'];

const REQUIRED_LABELS: Record<'en' | 'sv', Record<'email' | 'occurredAt', string>> = {
  en: { email: 'Email', occurredAt: 'Event occurred at' },
  sv: { email: 'E-post', occurredAt: 'Händelse vid' },
};

function selectValue(target: ImportColumnTarget): string {
  return target.kind === 'property' ? `property:${target.name}` : target.kind === 'newProperty' ? 'new' : target.kind;
}

/** A new property for a column: the proposal's name if it had one, else one derived from the header. */
function newPropertyFor(header: string, index: number, type: PropertyType): ImportColumnTarget {
  const name = (deriveEventName(header) ?? `column_${index + 1}`).slice(0, LIMITS.propertyNameMaxLength);
  return { kind: 'newProperty', property: { name, label: header.trim() || name, type, options: [] } };
}

/**
 * Step 2 of the import wizard: where each column goes (required fields marked), the date format of
 * the occurred-at column with three values read in it, and the consent. Sends the start request.
 */
export function ImportMappingForm({
  preview,
  target,
  definitions,
  onStart,
  onBack,
}: {
  preview: ImportPreview;
  target: ImportTarget;
  definitions: EventDefinition[];
  onStart: (start: ImportStart) => Promise<void>;
  onBack: () => void;
}) {
  const id = useId();
  const [targets, setTargets] = useState<ImportColumnTarget[]>(() =>
    preview.columns.map(
      (column) =>
        preview.proposedMapping.find((entry) => entry.column === column.header)?.to ?? { kind: 'ignore' as const },
    ),
  );
  const occurredAtIndex = targets.findIndex((entry) => entry.kind === 'occurredAt');
  const occurredAtColumn = occurredAtIndex >= 0 ? preview.columns[occurredAtIndex] : undefined;
  const [dateFormat, setDateFormat] = useState<ImportDateFormat>(() => preview.dateFormats[0]?.format ?? 'iso');
  const [consent, setConsent] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<MessageErrorData | null>(null);

  const definition =
    target.kind === 'existing' ? definitions.find((candidate) => candidate.name === target.name) : undefined;
  const properties = [
    ...(definition?.properties.map((property) => ({ name: property.name, label: property.label })) ?? []),
    ...Object.keys(DEFAULT_EVENT_PROPERTIES).map((name) => ({ name, label: name })),
  ];
  const labels = REQUIRED_LABELS[preview.headerLanguage];
  const mapped = (kind: 'email' | 'occurredAt') => targets.some((entry) => entry.kind === kind);
  const fit = occurredAtColumn?.dateFormats.find((candidate) => candidate.format === dateFormat);

  const setTarget = (index: number, next: ImportColumnTarget) =>
    setTargets((current) =>
      current.map((entry, position) => {
        if (position === index) return next;
        // Email and occurred-at come from one column each: choosing it elsewhere unmaps the old one.
        if ((next.kind === 'email' || next.kind === 'occurredAt') && entry.kind === next.kind)
          return { kind: 'ignore' };
        return entry;
      }),
    );
  const choose = (index: number, value: string) => {
    const column = preview.columns[index]!;
    if (value === 'new') setTarget(index, newPropertyFor(column.header, index, column.suggestedType));
    else if (value.startsWith('property:')) setTarget(index, { kind: 'property', name: value.slice(9) });
    else setTarget(index, { kind: value as 'email' | 'occurredAt' | 'ignore' });
    if (value === 'occurredAt') {
      const fits = column.dateFormats;
      if (fits.length > 0 && !fits.some((candidate) => candidate.format === dateFormat)) {
        setDateFormat(fits[0]!.format);
      }
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setStarting(true);
    try {
      await onStart({
        event: target.kind === 'existing' ? { name: target.name } : { create: { label: target.label } },
        mapping: preview.columns.map((column, index) => ({ column: column.header, to: targets[index]! })),
        dateFormat,
        consent: consent as true,
      });
    } catch (failure) {
      setError(errorDataOf(failure, 'The import could not start.'));
      setStarting(false);
    }
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)} aria-label="Map the columns">
      <p className="muted">
        {preview.fileName}: {preview.columns.length} columns, into{' '}
        <strong>{target.kind === 'existing' ? (definition?.label ?? target.name) : `${target.label} (new)`}</strong>.
      </p>
      <ul className="import-required" aria-label="Required fields" data-testid="import-required">
        {(['email', 'occurredAt'] as const).map((field) => (
          <li key={field} className={mapped(field) ? 'ok' : 'missing'}>
            {labels[field]} <abbr title="required">*</abbr>: {mapped(field) ? 'mapped' : 'not mapped yet'}
          </li>
        ))}
      </ul>
      <table className="import-mapping" data-testid="import-mapping">
        <caption className="visually-hidden">Where each column of the file goes</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Import as</th>
          </tr>
        </thead>
        <tbody>
          {preview.columns.map((column, index) => {
            const entry = targets[index]!;
            const selectId = `${id}-column-${index}`;
            return (
              <tr key={index} data-testid={`import-column-${index}`}>
                <th scope="row">
                  <label htmlFor={selectId}>{column.header || `Column ${index + 1}`}</label>
                  {column.samples.length > 0 && <span className="muted samples">{column.samples.join(' · ')}</span>}
                </th>
                <td>
                  <select
                    id={selectId}
                    value={selectValue(entry)}
                    onChange={(event) => choose(index, event.target.value)}
                    data-testid="import-target"
                  >
                    <option value="email">{labels.email} (required)</option>
                    <option value="occurredAt">{labels.occurredAt} (required)</option>
                    <optgroup label="Event property">
                      {properties.map((property) => (
                        <option key={property.name} value={`property:${property.name}`}>
                          {property.label === property.name ? property.name : `${property.label} (${property.name})`}
                        </option>
                      ))}
                    </optgroup>
                    <option value="new">Create new property…</option>
                    <option value="ignore">Do not import</option>
                  </select>
                  {entry.kind === 'newProperty' && (
                    <div className="row new-property">
                      <label>
                        Name{' '}
                        <input
                          value={entry.property.name}
                          maxLength={LIMITS.propertyNameMaxLength}
                          pattern="[a-z][a-z0-9_]*"
                          title="Lowercase letters, digits and _, starting with a letter"
                          required
                          onChange={(event) =>
                            setTarget(index, { ...entry, property: { ...entry.property, name: event.target.value } })
                          }
                          data-testid="import-new-name"
                        />
                      </label>
                      <label>
                        Type{' '}
                        <select
                          value={entry.property.type}
                          onChange={(event) =>
                            setTarget(index, {
                              ...entry,
                              property: { ...entry.property, type: event.target.value as PropertyType },
                            })
                          }
                          data-testid="import-new-type"
                        >
                          {NEW_PROPERTY_TYPES.map((type) => (
                            <option key={type} value={type}>
                              {type}
                            </option>
                          ))}
                        </select>
                      </label>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label>
        Date format of {occurredAtColumn ? `“${occurredAtColumn.header}”` : labels.occurredAt}{' '}
        <select
          value={dateFormat}
          onChange={(event) => setDateFormat(event.target.value as ImportDateFormat)}
          aria-describedby={`${id}-dates`}
          data-testid="import-date-format"
        >
          {IMPORT_DATE_FORMATS.map((format) => (
            <option key={format.id} value={format.id}>
              {format.label} — {format.example}
              {occurredAtColumn?.dateFormats.some((candidate) => candidate.format === format.id) ? ' ✓' : ''}
            </option>
          ))}
        </select>
      </label>
      <div id={`${id}-dates`} data-testid="import-date-preview">
        {!occurredAtColumn ? (
          <p className="muted">Map a column to {labels.occurredAt} to check its dates.</p>
        ) : fit ? (
          <ul className="import-dates" aria-label="Dates read in this format">
            {fit.examples.map((example) => (
              <li key={example.value}>
                <code>{example.value}</code> → <time dateTime={example.parsed}>{formatParsed(example.parsed)}</time>
              </li>
            ))}
          </ul>
        ) : (
          <p className="field-error" role="alert">
            This format does not read the column’s first values ({occurredAtColumn.samples.join(', ') || 'none'});
            {occurredAtColumn.dateFormats.length > 0 ? ' formats marked ✓ do.' : ' rows it cannot read are rejected.'}
          </p>
        )}
        <p className="muted">Times without an offset are UTC. Rows dated in the future are rejected.</p>
      </div>
      <label className="check consent">
        <input
          type="checkbox"
          checked={consent}
          onChange={(event) => setConsent(event.target.checked)}
          required
          data-testid="import-consent"
        />
        The contacts in this file expect to hear from us, and it is not a purchased list.
      </label>
      <ErrorMessage error={error} />
      <div className="row">
        <button
          type="submit"
          className="button"
          disabled={starting || !consent || !mapped('email') || !mapped('occurredAt')}
          data-testid="import-start"
        >
          {starting ? 'Starting…' : 'Start import'}
        </button>
        <button type="button" className="button secondary" onClick={onBack} disabled={starting}>
          Back
        </button>
      </div>
    </form>
  );
}

/** A parsed UTC date as the user reads it, with its UTC form for certainty. */
function formatParsed(iso: string): string {
  const date = new Date(iso);
  return `${date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}
