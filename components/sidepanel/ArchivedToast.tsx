import { useEffect } from 'react';
import { t } from '@/lib/i18n';
import type { EventDefinition } from '@/lib/shared';
import { RestoreButton } from './RestoreButton';
import { useEventsStore } from './useEventsStore';

const VISIBLE_MS = 10_000;

/** "Archived X. Undo" after an archive, for a few seconds. */
export function ArchivedToast({ definition }: { definition: EventDefinition }) {
  const dismiss = useEventsStore((state) => state.dismissArchived);
  useEffect(() => {
    const timer = setTimeout(dismiss, VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [definition, dismiss]);
  return (
    <div className="toast" role="status" data-testid="archived-toast">
      {t('sidepanel.archived', { label: definition.label })}
      <RestoreButton definition={definition} testId="archived-undo">
        {t('sidepanel.undo')}
      </RestoreButton>
    </div>
  );
}
