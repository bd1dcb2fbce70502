import { t, tParts } from '@/lib/i18n';
import { Rich } from '../common/Rich';
import { useEffect } from 'react';
import type { EventDefinition } from '@/lib/shared';
import { usePickerController } from './PickerContext';

const AUTO_CLOSE_MS = 8000;

/** Confirms the save with the names the API and the tracker will use. */
export function SavedToast({ definition }: { definition: EventDefinition }) {
  const { cancel } = usePickerController();
  useEffect(() => {
    const timer = setTimeout(cancel, AUTO_CLOSE_MS);
    return () => clearTimeout(timer);
  }, [cancel]);
  return (
    <div className="ct-panel ct-toast" role="status" data-testid="picker-saved">
      <p>
        <Rich parts={tParts('picker.saved', { label: <strong>{definition.label}</strong> })} />
      </p>
      <p className="ct-muted">
        <Rich
          parts={tParts('picker.savedNames', {
            name: <code>{definition.name}</code>,
            apiName: <code>{definition.fullyQualifiedName}</code>,
          })}
        />
      </p>
      <div className="ct-actions">
        <button type="button" className="ct-button" onClick={cancel} autoFocus>
          {t('common.done')}
        </button>
      </div>
    </div>
  );
}
