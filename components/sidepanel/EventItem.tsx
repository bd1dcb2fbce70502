import { useEffect, useState } from 'react';
import { formatNumber, t, tp, tParts, type PlainKey } from '@/lib/i18n';
import type { EventDefinition } from '@/lib/shared';
import { Rich } from '../common/Rich';
import { ErrorMessage } from '../common/ErrorMessage';
import { CodeErrors } from './custom-code/CodeErrors';
import { CustomCodeForm } from './custom-code/CustomCodeForm';
import { EventEditForm } from './EventEditForm';
import { SelectorHealth } from './health/SelectorHealth';
import { LastFired } from './LastFired';
import { useEventsStore } from './useEventsStore';
import { CopySnippet } from './events/CopySnippet';
import { PropertiesEditor } from './events/PropertiesEditor';
import { TriggerEditor } from './events/TriggerEditor';
import { hasDraftOf, useDraftsStore } from './events/useDraftsStore';
import { usePageStore } from './events/usePageStore';
import { customCodeSnippet } from '@/lib/shared/custom-code-snippet';

const TRACKING_TYPE: Record<EventDefinition['trackingType'], PlainKey> = {
  CLICKED_ELEMENT: 'sidepanel.trackingType.clickedElement',
  VISITED_URL: 'sidepanel.trackingType.visitedUrl',
  CUSTOM_SCRIPT: 'sidepanel.trackingType.customScript',
  IMPORT: 'sidepanel.trackingType.import',
  MANUAL: 'sidepanel.trackingType.manual',
};

/** The event's kind as a badge (the API's trackingType on hover). */
function TrackingTypeBadge({ definition }: { definition: EventDefinition }) {
  return (
    <span className="badge" title={definition.trackingType}>
      {t(TRACKING_TYPE[definition.trackingType])}
    </span>
  );
}

/** One active event: what it tracks, and Edit / Archive (archiving asks first). */
export function EventItem({ definition }: { definition: EventDefinition }) {
  const hasDraft = useDraftsStore((state) => hasDraftOf(state.drafts, definition.name));
  const [mode, setModeState] = useState<'view' | 'edit' | 'code' | 'properties' | 'trigger' | 'confirm-archive'>(
    'view',
  );
  const pageMatches = usePageStore((state) => state.inspection?.matches[definition.name]);
  const highlighted = usePageStore((state) => (state.highlighted?.name === definition.name ? state.highlighted : null));
  const highlight = usePageStore((state) => state.highlight);
  const clearHighlight = usePageStore((state) => state.clearHighlight);
  // Covered by its URL rule here, yet nothing on the page matches: broken on this page.
  const brokenHere = pageMatches?.urlMatches === true && pageMatches.found === 0;
  const clearError = useEventsStore((state) => state.clearError);
  // A message about the last attempt stays until the user moves on.
  const setMode = (next: typeof mode) => {
    clearError(definition.name);
    setModeState(next);
  };
  // While a form is open here the list keeps this event, whatever a reload changes under the search.
  const setFormOpen = useEventsStore((state) => state.setFormOpen);
  const formOpen = mode !== 'view';
  useEffect(() => {
    if (!formOpen) return;
    setFormOpen(definition.name, true);
    return () => setFormOpen(definition.name, false);
  }, [formOpen, definition.name, setFormOpen]);
  const saving = useEventsStore((state) => Boolean(state.saving[definition.name]));
  const error = useEventsStore((state) => state.itemErrors[definition.name] ?? null);
  const update = useEventsStore((state) => state.update);
  const trigger = definition.trigger;

  const clickTrigger = trigger?.kind === 'click' ? trigger : undefined;
  const outline = clickTrigger ? () => void highlight(definition.name, clickTrigger) : undefined;
  const unoutline = clickTrigger ? () => void clearHighlight(definition.name) : undefined;

  return (
    <li
      data-testid={`event-${definition.name}`}
      className={brokenHere ? 'broken-here' : undefined}
      onMouseEnter={outline}
      onMouseLeave={unoutline}
      onFocus={outline}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) unoutline?.();
      }}
    >
      {mode === 'edit' ? (
        <EventEditForm definition={definition} onDone={() => setMode('view')} />
      ) : mode === 'properties' ? (
        <PropertiesEditor definition={definition} onDone={() => setMode('view')} />
      ) : mode === 'trigger' ? (
        <TriggerEditor definition={definition} onDone={() => setMode('view')} />
      ) : mode === 'code' ? (
        <>
          <strong>{definition.label}</strong> <TrackingTypeBadge definition={definition} />
          <CustomCodeForm definition={definition} onDone={() => setMode('view')} />
        </>
      ) : (
        <>
          <strong>{definition.label}</strong> <TrackingTypeBadge definition={definition} />
          {definition.paused && (
            <span className="badge paused" data-testid="event-paused">
              {t('sidepanel.paused')}
            </span>
          )}
          {hasDraft && (
            <span className="badge draft" data-testid="event-draft">
              {t('sidepanel.unsavedChanges')}
            </span>
          )}
          {pageMatches?.urlMatches && (
            <span
              className={brokenHere ? 'badge danger' : 'badge'}
              data-testid="event-page-matches"
              title={brokenHere ? t('sidepanel.brokenHereHint') : undefined}
            >
              {brokenHere ? t('sidepanel.brokenHere') : tp('sidepanel.onThisPage', pageMatches.found)}
            </span>
          )}
          {highlighted && highlighted.found !== null && (
            <span className="sr-only" role="status" data-testid="event-highlight-count">
              {tp('sidepanel.outlined', highlighted.found)}
            </span>
          )}
          <br />
          <code>{definition.fullyQualifiedName}</code>
          {definition.description && <p className="muted">{definition.description}</p>}
          <LastFired fullyQualifiedName={definition.fullyQualifiedName} />
          {definition.customCode !== undefined && <CodeErrors name={definition.name} />}
          {definition.trackingType === 'CUSTOM_SCRIPT' && (
            <details className="snippet-details">
              <summary>{t('sidepanel.howToSend')}</summary>
              <CopySnippet
                code={customCodeSnippet(definition)}
                label={t('sidepanel.snippetLabel')}
                testId="custom-snippet"
              />
            </details>
          )}
          {trigger?.kind === 'click' && (
            <>
              <br />
              <span className="muted">
                <Rich
                  parts={tParts('sidepanel.clicksOn', {
                    selector: <code>{trigger.element.selector}</code>,
                    quality: t(`picker.quality.${trigger.element.quality}`),
                  })}
                />
              </span>
              <SelectorHealth definition={definition} />
            </>
          )}
        </>
      )}
      {mode === 'view' && (
        <div className="actions">
          <button type="button" className="link" onClick={() => setMode('edit')} data-testid="event-edit">
            {t('sidepanel.edit')}
          </button>
          <button type="button" className="link" onClick={() => setMode('properties')} data-testid="event-properties">
            {t('sidepanel.properties', { count: formatNumber(definition.properties.length) })}
          </button>
          {trigger && (
            <button type="button" className="link" onClick={() => setMode('trigger')} data-testid="event-trigger">
              {t('sidepanel.trigger')}
            </button>
          )}
          {definition.trackingType === 'CUSTOM_SCRIPT' && (
            <button type="button" className="link" onClick={() => setMode('code')} data-testid="event-code">
              {definition.customCode === undefined ? t('sidepanel.addCode') : t('sidepanel.code')}
            </button>
          )}
          <button
            type="button"
            className="link"
            disabled={saving}
            onClick={() => void update(definition, { paused: !definition.paused })}
            title={definition.paused ? t('sidepanel.resumeHint') : t('sidepanel.pauseHint')}
            data-testid="event-pause"
          >
            {definition.paused ? t('sidepanel.resume') : t('sidepanel.pause')}
          </button>
          <button
            type="button"
            className="link danger"
            onClick={() => setMode('confirm-archive')}
            data-testid="event-archive"
          >
            {t('sidepanel.archive')}
          </button>
        </div>
      )}
      {mode === 'confirm-archive' && (
        <div
          className="confirm"
          role="alertdialog"
          aria-label={t('sidepanel.archiveLabel', { label: definition.label })}
          onKeyDown={(event) => event.key === 'Escape' && setMode('view')}
        >
          <p>{t('sidepanel.archiveConfirm', { label: definition.label })}</p>
          <div className="row">
            <button
              type="button"
              className="button"
              autoFocus
              disabled={saving}
              onClick={() => void update(definition, { archived: true }).then(() => setModeState('view'))}
              data-testid="event-archive-confirm"
            >
              {saving ? t('sidepanel.archiving') : t('sidepanel.archive')}
            </button>
            <button type="button" className="button secondary" onClick={() => setMode('view')} disabled={saving}>
              {t('sidepanel.keepIt')}
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
    </li>
  );
}
