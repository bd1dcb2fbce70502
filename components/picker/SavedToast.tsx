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
        Saved <strong>{definition.label}</strong>
      </p>
      <p className="ct-muted">
        Internal name <code>{definition.name}</code> · API name <code>{definition.fullyQualifiedName}</code>
      </p>
      <div className="ct-actions">
        <button type="button" className="ct-button" onClick={cancel} autoFocus>
          Done
        </button>
      </div>
    </div>
  );
}
