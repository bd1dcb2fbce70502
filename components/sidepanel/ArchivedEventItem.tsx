import type { EventDefinition } from '@/lib/shared';
import { ErrorMessage } from '../common/ErrorMessage';
import { useEventsStore } from './useEventsStore';

/** An archived event, with Restore. */
export function ArchivedEventItem({ definition }: { definition: EventDefinition }) {
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const error = useEventsStore((state) => state.itemErrors[definition.name] ?? null);
  const update = useEventsStore((state) => state.update);
  return (
    <li data-testid={`archived-${definition.name}`}>
      <strong>{definition.label}</strong> <code>{definition.fullyQualifiedName}</code>
      <div className="actions">
        <button
          type="button"
          className="link"
          disabled={saving}
          onClick={() => void update(definition, { archived: false })}
          data-testid="event-restore"
        >
          {saving ? 'Restoring…' : 'Restore'}
        </button>
      </div>
      <ErrorMessage error={error} />
    </li>
  );
}
