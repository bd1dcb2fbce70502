import { t } from '@/lib/i18n';
import type { EventDefinition } from '@/lib/shared';
import { ErrorMessage } from '../common/ErrorMessage';
import { RestoreButton } from './RestoreButton';
import { useEventsStore } from './useEventsStore';

/** An archived event, with Restore. */
export function ArchivedEventItem({ definition }: { definition: EventDefinition }) {
  const error = useEventsStore((state) => state.itemErrors[definition.name] ?? null);
  return (
    <li data-testid={`archived-${definition.name}`}>
      <strong>{definition.label}</strong> <code>{definition.fullyQualifiedName}</code>
      <div className="actions">
        <RestoreButton definition={definition} testId="event-restore">
          {t('sidepanel.restore')}
        </RestoreButton>
      </div>
      <ErrorMessage error={error} />
    </li>
  );
}
