import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { formatDate, formatNumber, t, tpParts, type PlainKey } from '@/lib/i18n';
import { Rich } from '@/components/common/Rich';
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

/** Property types by their names in the UI. */
const TYPE_TEXT: Record<(typeof NEW_PROPERTY_TYPES)[number], PlainKey> = {
  string: 'imports.type.string',
  number: 'imports.type.number',
  datetime: 'imports.type.datetime',
  enumeration: 'imports.type.enumeration',
};

/** What each date format is called (lib/shared's labels are the API's English). */
const DATE_FORMAT_TEXT: Record<ImportDateFormat, PlainKey> = {
  iso: 'imports.dateFormat.iso',
  'excel-serial': 'imports.dateFormat.excelSerial',
  'd/M/yyyy H:mm:ss': 'imports.dateFormat.dmySlashSeconds',
  'd/M/yyyy H:mm': 'imports.dateFormat.dmySlashTime',
  'd/M/yyyy': 'imports.dateFormat.dmySlash',
  'M/d/yyyy H:mm:ss': 'imports.dateFormat.mdySlashSeconds',
  'M/d/yyyy H:mm': 'imports.dateFormat.mdySlashTime',
  'M/d/yyyy h:mm a': 'imports.dateFormat.mdySlash12h',
  'M/d/yyyy': 'imports.dateFormat.mdySlash',
  'd.M.yyyy H:mm:ss': 'imports.dateFormat.dmyDotSeconds',
  'd.M.yyyy H:mm': 'imports.dateFormat.dmyDotTime',
  'd.M.yyyy': 'imports.dateFormat.dmyDot',
  'd-M-yyyy H:mm': 'imports.dateFormat.dmyDashTime',
  'd-M-yyyy': 'imports.dateFormat.dmyDash',
  'yyyy/M/d H:mm': 'imports.dateFormat.ymdSlashTime',
  'yyyy/M/d': 'imports.dateFormat.ymdSlash',
};

/** The required columns as the file's header language names them (the server matches headers so). */
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
      setError(errorDataOf(failure, t('imports.startFailed')));
      setStarting(false);
    }
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)} aria-label={t('imports.mappingLabel')}>
      <p className="muted">
        <Rich
          parts={tpParts('imports.fileInto', preview.columns.length, {
            file: preview.fileName,
            event: (
              <strong>
                {target.kind === 'existing'
                  ? (definition?.label ?? target.name)
                  : t('imports.newEventLabel', { label: target.label })}
              </strong>
            ),
          })}
        />
      </p>
      <ul className="import-required" aria-label={t('imports.requiredFields')} data-testid="import-required">
        {(['email', 'occurredAt'] as const).map((field) => (
          <li key={field} className={mapped(field) ? 'ok' : 'missing'}>
            {labels[field]} <abbr title={t('imports.required')}>*</abbr>:{' '}
            {mapped(field) ? t('imports.mapped') : t('imports.notMapped')}
          </li>
        ))}
      </ul>
      <table className="import-mapping" data-testid="import-mapping">
        <caption className="visually-hidden">{t('imports.mappingCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imports.column')}</th>
            <th scope="col">{t('imports.importAs')}</th>
          </tr>
        </thead>
        <tbody>
          {preview.columns.map((column, index) => {
            const entry = targets[index]!;
            const selectId = `${id}-column-${index}`;
            return (
              <tr key={index} data-testid={`import-column-${index}`}>
                <th scope="row">
                  <label htmlFor={selectId}>
                    {column.header || t('imports.columnNumber', { number: formatNumber(index + 1) })}
                  </label>
                  {column.samples.length > 0 && <span className="muted samples">{column.samples.join(' · ')}</span>}
                </th>
                <td>
                  <select
                    id={selectId}
                    value={selectValue(entry)}
                    onChange={(event) => choose(index, event.target.value)}
                    data-testid="import-target"
                  >
                    <option value="email">{t('imports.requiredOption', { label: labels.email })}</option>
                    <option value="occurredAt">{t('imports.requiredOption', { label: labels.occurredAt })}</option>
                    <optgroup label={t('imports.eventProperty')}>
                      {properties.map((property) => (
                        <option key={property.name} value={`property:${property.name}`}>
                          {property.label === property.name ? property.name : `${property.label} (${property.name})`}
                        </option>
                      ))}
                    </optgroup>
                    <option value="new">{t('imports.createProperty')}</option>
                    <option value="ignore">{t('imports.ignore')}</option>
                  </select>
                  {entry.kind === 'newProperty' && (
                    <div className="row new-property">
                      <label>
                        {t('workflows.name')}{' '}
                        <input
                          value={entry.property.name}
                          maxLength={LIMITS.propertyNameMaxLength}
                          pattern="[a-z][a-z0-9_]*"
                          title={t('imports.nameRule')}
                          required
                          onChange={(event) =>
                            setTarget(index, { ...entry, property: { ...entry.property, name: event.target.value } })
                          }
                          data-testid="import-new-name"
                        />
                      </label>
                      <label>
                        {t('imports.typeLabel')}{' '}
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
                              {t(TYPE_TEXT[type])}
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
        {t('imports.dateFormatOf', { column: occurredAtColumn ? occurredAtColumn.header : labels.occurredAt })}{' '}
        <select
          value={dateFormat}
          onChange={(event) => setDateFormat(event.target.value as ImportDateFormat)}
          aria-describedby={`${id}-dates`}
          data-testid="import-date-format"
        >
          {IMPORT_DATE_FORMATS.map((format) => (
            <option key={format.id} value={format.id}>
              {t(DATE_FORMAT_TEXT[format.id])} — {format.example}
              {occurredAtColumn?.dateFormats.some((candidate) => candidate.format === format.id) ? ' ✓' : ''}
            </option>
          ))}
        </select>
      </label>
      <div id={`${id}-dates`} data-testid="import-date-preview">
        {!occurredAtColumn ? (
          <p className="muted">{t('imports.mapOccurredAt', { label: labels.occurredAt })}</p>
        ) : fit ? (
          <ul className="import-dates" aria-label={t('imports.datesRead')}>
            {fit.examples.map((example) => (
              <li key={example.value}>
                <code>{example.value}</code> → <time dateTime={example.parsed}>{formatParsed(example.parsed)}</time>
              </li>
            ))}
          </ul>
        ) : (
          <p className="field-error" role="alert">
            {t(occurredAtColumn.dateFormats.length > 0 ? 'imports.formatMisfitOthers' : 'imports.formatMisfit', {
              samples: occurredAtColumn.samples.join(', ') || t('imports.noSamples'),
            })}
          </p>
        )}
        <p className="muted">{t('imports.utcNote')}</p>
      </div>
      <label className="check consent">
        <input
          type="checkbox"
          checked={consent}
          onChange={(event) => setConsent(event.target.checked)}
          required
          data-testid="import-consent"
        />
        {t('imports.consent')}
      </label>
      <ErrorMessage error={error} />
      <div className="row">
        <button
          type="submit"
          className="button"
          disabled={starting || !consent || !mapped('email') || !mapped('occurredAt')}
          data-testid="import-start"
        >
          {starting ? t('imports.starting') : t('imports.start')}
        </button>
        <button type="button" className="button secondary" onClick={onBack} disabled={starting}>
          {t('imports.back')}
        </button>
      </div>
    </form>
  );
}

/** A parsed UTC date as the user reads it, with its UTC form for certainty. */
function formatParsed(iso: string): string {
  return t('imports.utcTime', { time: formatDate(iso, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) });
}
