import type { ReactNode } from 'react';
import { t } from '@/lib/i18n';
import type { EventDefinition } from '@/lib/shared';
import { useEventsStore } from './useEventsStore';

/** Un-archives an event: the Restore of the archived list, and the Undo after an archive. */
export function RestoreButton({
  definition,
  testId,
  children,
}: {
  definition: EventDefinition;
  testId: string;
  children: ReactNode;
}) {
  const update = useEventsStore((state) => state.update);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  return (
    <button
      type="button"
      className="link"
      disabled={saving}
      onClick={() => void update(definition, { archived: false })}
      data-testid={testId}
    >
      {saving ? t('sidepanel.restoring') : children}
    </button>
  );
}
