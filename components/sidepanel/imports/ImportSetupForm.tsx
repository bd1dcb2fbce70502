import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
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
      ? 'The file must be a .csv, .xlsx or .xls spreadsheet.'
      : file.size > PANEL_UPLOAD_LIMITS.maxBytes
        ? tooLargeForPanelMessage(file.size)
        : file.size === 0
          ? 'The file is empty.'
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
      setError(errorDataOf(failure, 'The upload failed.'));
    } finally {
      setSent(null);
    }
  };

  const uploading = sent !== null;
  return (
    <form className="stack" onSubmit={(event) => void submit(event)} aria-label="Choose the file to import">
      <label>
        Spreadsheet (.csv, .xlsx, .xls){' '}
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
        <legend>Event</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-event`}
            checked={kind === 'existing'}
            disabled={importable.length === 0}
            onChange={() => setKind('existing')}
            data-testid="import-event-existing"
          />
          An existing contact event
        </label>
        {kind === 'existing' && (
          <select
            aria-label="Existing event"
            value={existing}
            onChange={(event) => setExisting(event.target.value)}
            data-testid="import-event-name"
          >
            {importable.map((definition) => (
              <option key={definition.name} value={definition.name}>
                {definition.label} ({definition.name})
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
          A new event (tracking type Import)
        </label>
        {kind === 'new' && (
          <label>
            Event name{' '}
            <input
              value={label}
              required
              maxLength={100}
              onChange={(event) => setLabel(event.target.value)}
              placeholder="Webinar attended"
              data-testid="import-event-label"
            />
          </label>
        )}
      </fieldset>
      <label>
        Header language{' '}
        <select
          value={language}
          onChange={(event) => setLanguage(event.target.value as HeaderLanguage)}
          data-testid="import-language"
        >
          <option value="en">English (Email, Event occurred at)</option>
          <option value="sv">Svenska (E-post, Händelse vid)</option>
        </select>
      </label>
      <ErrorMessage error={error} />
      {uploading && (
        <div className="import-progress">
          <progress max={1} value={sent} aria-label="Upload progress" />
          <span className="muted" role="status">
            Uploading… {Math.round(sent * 100)}%
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
          {uploading ? 'Uploading…' : 'Upload and map columns'}
        </button>
      </div>
    </form>
  );
}
