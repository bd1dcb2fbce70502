import { useEffect } from 'react';
import type { EventDefinition } from '@/lib/shared';
import { useEventsStore } from './useEventsStore';

const VISIBLE_MS = 10_000;

/** "Archived X. Undo" after an archive, for a few seconds. */
export function ArchivedToast({ definition }: { definition: EventDefinition }) {
  const update = useEventsStore((state) => state.update);
  const dismiss = useEventsStore((state) => state.dismissArchived);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  useEffect(() => {
    const timer = setTimeout(dismiss, VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [definition, dismiss]);
  return (
    <div className="toast" role="status" data-testid="archived-toast">
      Archived “{definition.label}”.
      <button
        type="button"
        className="link"
        disabled={saving}
        onClick={() => void update(definition, { archived: false })}
        data-testid="archived-undo"
      >
        Undo
      </button>
    </div>
  );
}
