import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { formatNumber, t } from '@/lib/i18n';
import { errorDataOf, type MessageErrorData } from '@/lib/messaging';
import { IMPORT_FILE_NAME_PATTERN, PANEL_UPLOAD_LIMITS, tooLargeForPanelMessage } from '@/lib/imports/panel-upload';
import type { EventDefinition, HeaderLanguage, ImportPreview } from '@/lib/shared';
import { uploadImportFile } from './upload-file';

/** Where the imported rows go: an existing contact event, or a new one (tracking type IMPORT). */
export type ImportTarget = { kind: 'existing'; name: string } | { kind: 'new'; label: string };

/**
 * Step 1 of the import wizard: the file, the event and the header language; uploads the file and
 * hands the server's preview on.
 */
export function ImportSetupForm({
  definitions,
  onUploaded,
}: {
  definitions: EventDefinition[];
  onUploaded: (preview: ImportPreview, target: ImportTarget) => void;
}) {
  const id = useId();
  const importable = definitions.filter((definition) => definition.primaryObject === 'CONTACT' && !definition.archived);
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<'existing' | 'new'>(importable.length > 0 ? 'existing' : 'new');
  const [existing, setExisting] = useState(importable[0]?.name ?? '');
  const [label, setLabel] = useState('');
  const [language, setLanguage] = useState<HeaderLanguage>('en');
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<MessageErrorData | null>(null);

  const fileProblem = !file
    ? null
    : !IMPORT_FILE_NAME_PATTERN.test(file.name)
      ? t('imports.fileType')
      : file.size > PANEL_UPLOAD_LIMITS.maxBytes
        ? tooLargeForPanelMessage(file.size)
        : file.size === 0
          ? t('imports.fileEmpty')
          : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || fileProblem) return;
    const target: ImportTarget = kind === 'existing' ? { kind, name: existing } : { kind, label: label.trim() };
    setError(null);
    setSent(0);
    try {
      const preview = await uploadImportFile(
        file,
        { headerLanguage: language, ...(target.kind === 'existing' ? { eventName: target.name } : {}) },
        setSent,
      );
      onUploaded(preview, target);
    } catch (failure) {
      setError(errorDataOf(failure, t('imports.uploadFailed')));
    } finally {
      setSent(null);
    }
  };

  const uploading = sent !== null;
  return (
    <form className="stack" onSubmit={(event) => void submit(event)} aria-label={t('imports.setupLabel')}>
      <label>
        {t('imports.spreadsheet')}{' '}
        <input
          type="file"
          accept=".csv,.xlsx,.xls,text/csv"
          required
          aria-invalid={fileProblem ? true : undefined}
          aria-describedby={fileProblem ? `${id}-file-error` : undefined}
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          data-testid="import-file"
        />
      </label>
      {fileProblem && (
        <p className="field-error" id={`${id}-file-error`} role="alert">
          {fileProblem}
        </p>
      )}
      <fieldset className="stack import-event">
        <legend>{t('analytics.event')}</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-event`}
            checked={kind === 'existing'}
            disabled={importable.length === 0}
            onChange={() => setKind('existing')}
            data-testid="import-event-existing"
          />
          {t('imports.existingEvent')}
        </label>
        {kind === 'existing' && (
          <select
            aria-label={t('imports.existingEventLabel')}
            value={existing}
            onChange={(event) => setExisting(event.target.value)}
            data-testid="import-event-name"
          >
            {importable.map((definition) => (
              <option key={definition.name} value={definition.name}>
                {t('imports.eventOption', { label: definition.label, name: definition.name })}
              </option>
            ))}
          </select>
        )}
        <label className="check">
          <input
            type="radio"
            name={`${id}-event`}
            checked={kind === 'new'}
            onChange={() => setKind('new')}
            data-testid="import-event-new"
          />
          {t('imports.newEvent')}
        </label>
        {kind === 'new' && (
          <label>
            {t('imports.eventName')}{' '}
            <input
              value={label}
              required
              maxLength={100}
              onChange={(event) => setLabel(event.target.value)}
              placeholder={t('imports.eventNameExample')}
              data-testid="import-event-label"
            />
          </label>
        )}
      </fieldset>
      <label>
        {t('imports.headerLanguage')}{' '}
        <select
          value={language}
          onChange={(event) => setLanguage(event.target.value as HeaderLanguage)}
          data-testid="import-language"
        >
          <option value="en">{t('imports.headersEnglish')}</option>
          <option value="sv">{t('imports.headersSwedish')}</option>
        </select>
      </label>
      <ErrorMessage error={error} />
      {uploading && (
        <div className="import-progress">
          <progress max={1} value={sent} aria-label={t('imports.uploadProgress')} />
          <span className="muted" role="status">
            {t('imports.uploadingShare', { share: formatNumber(sent, { style: 'percent' }) })}
          </span>
        </div>
      )}
      <div className="row">
        <button
          type="submit"
          className="button"
          disabled={uploading || !file || Boolean(fileProblem) || (kind === 'existing' && !existing)}
          data-testid="import-upload"
        >
          {uploading ? t('imports.uploading') : t('imports.upload')}
        </button>
      </div>
    </form>
  );
}
