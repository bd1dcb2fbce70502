import { useEffect, useState } from 'react';
import { ErrorMessage } from '@/components/common/ErrorMessage';
import { t, type PlainKey } from '@/lib/i18n';
import { errorDataOf, sendToBackground, type MessageErrorData } from '@/lib/messaging';
import type { EventDefinition, ImportPreview, ImportStart } from '@/lib/shared';
import { useEventsStore } from '../useEventsStore';
import { ImportMappingForm } from './ImportMappingForm';
import { ImportProgress } from './ImportProgress';
import { ImportSetupForm, type ImportTarget } from './ImportSetupForm';
import './imports.css';

type Step =
  | { step: 'loading' }
  | { step: 'setup' }
  | { step: 'mapping'; preview: ImportPreview; target: ImportTarget }
  | { step: 'progress'; id: string };

const STEPS: readonly PlainKey[] = ['imports.stepFile', 'imports.stepColumns', 'imports.stepImport'];

/**
 * "Import": the spreadsheet import wizard (issue 12) — file, event and header language; mapping,
 * date format and consent; then progress and the result. An import that is running when the panel
 * opens (it was closed mid-way) is followed again.
 */
export function ImportView({ definitions }: { definitions: EventDefinition[] }) {
  const [state, setState] = useState<Step>({ step: 'loading' });
  const [error, setError] = useState<MessageErrorData | null>(null);
  const refreshDefinitions = useEventsStore((store) => store.refresh);

  useEffect(() => {
    let current = true;
    sendToBackground('imports/active').then(
      (active) => current && setState(active ? { step: 'progress', id: active.id } : { step: 'setup' }),
      (failure: unknown) => {
        if (!current) return;
        setError(errorDataOf(failure));
        setState({ step: 'setup' });
      },
    );
    return () => {
      current = false;
    };
  }, []);

  const start = async (id: string, body: ImportStart) => {
    await sendToBackground('imports/start', { id, start: body });
    setState({ step: 'progress', id });
    // A new event (or new properties) now exists: the other tabs should see it.
    void refreshDefinitions();
  };

  const back = (id: string) => {
    // The uploaded file is not needed any more; cancelling an upload removes it on the server.
    sendToBackground('imports/cancel', { id, rollback: false }).catch(() => undefined);
    setState({ step: 'setup' });
  };

  const done = (id: string) => {
    sendToBackground('imports/forget', { id }).catch(() => undefined);
    setState({ step: 'setup' });
  };

  const index = state.step === 'setup' ? 0 : state.step === 'mapping' ? 1 : state.step === 'progress' ? 2 : -1;
  return (
    <section className="stack" aria-label={t('imports.viewLabel')} data-testid="import-view">
      {index >= 0 && (
        <ol className="import-steps" aria-label={t('imports.steps')}>
          {STEPS.map((label, position) => (
            <li key={label} aria-current={position === index ? 'step' : undefined}>
              {t(label)}
            </li>
          ))}
        </ol>
      )}
      <ErrorMessage error={error} />
      {state.step === 'loading' && (
        <p className="muted" role="status">
          {t('sidepanel.loading')}
        </p>
      )}
      {state.step === 'setup' && (
        <ImportSetupForm
          definitions={definitions}
          onUploaded={(preview, target) => setState({ step: 'mapping', preview, target })}
        />
      )}
      {state.step === 'mapping' && (
        <ImportMappingForm
          preview={state.preview}
          target={state.target}
          definitions={definitions}
          onStart={(body) => start(state.preview.id, body)}
          onBack={() => back(state.preview.id)}
        />
      )}
      {state.step === 'progress' && <ImportProgress id={state.id} onDone={() => done(state.id)} />}
    </section>
  );
}
