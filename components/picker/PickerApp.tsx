import { t, tParts } from '@/lib/i18n';
import { Rich } from '../common/Rich';
import type { PickerController } from '@/lib/picker/controller';
import type { TestMode } from '@/lib/picker/test-mode';
import type { PageHighlightStore } from '@/lib/picker/page-inspection';
import { useStore } from 'zustand';
import { Highlight, HoverHighlight, MatchHighlights } from './Highlight';
import { NamingPanel } from './NamingPanel';
import { PageViewPanel } from './PageViewPanel';
import { PickerProvider, usePickerController, usePickerState } from './PickerContext';
import { SavedToast } from './SavedToast';
import { TestModeToasts } from './TestModeToasts';

/** Root of the in-page UI (inside Clicktrail's shadow root). Renders nothing while idle. */
export function PickerApp({
  controller,
  testMode,
  pageHighlight,
}: {
  controller: PickerController;
  testMode?: TestMode;
  /** What the side panel's hovered event finds here. */
  pageHighlight?: PageHighlightStore;
}) {
  return (
    <PickerProvider value={controller}>
      <div className="ct-root">
        {testMode && <TestModeToasts testMode={testMode} />}
        {pageHighlight && <PanelHighlights store={pageHighlight} />}
        <PickerView />
      </div>
    </PickerProvider>
  );
}

/** The outline of what the side panel's hovered or focused event finds on this page. */
function PanelHighlights({ store }: { store: PageHighlightStore }) {
  const rects = useStore(store, (state) => state.rects);
  return (
    <>
      {rects.map(({ rect, passing }, index) => (
        <div
          key={index}
          className={passing ? 'ct-match' : 'ct-match ct-excluded'}
          data-testid="panel-match"
          style={{ left: rect.x, top: rect.y, width: rect.width, height: rect.height }}
        />
      ))}
    </>
  );
}

function PickerView() {
  const controller = usePickerController();
  const view = usePickerState((state) => state.view);
  switch (view.phase) {
    case 'idle':
      return null;
    case 'picking':
      return (
        <>
          <div className="ct-banner" role="status" data-testid="picker-banner">
            <span>
              <Rich
                parts={tParts('picker.banner', {
                  brand: <strong>{t('extName')}</strong>,
                  shift: <kbd>{t('picker.key.shift')}</kbd>,
                  esc: <kbd>{t('picker.key.esc')}</kbd>,
                })}
              />
            </span>
            <button type="button" className="ct-button ct-secondary" onClick={controller.cancel}>
              {t('common.cancel')}
            </button>
          </div>
          <HoverHighlight store={controller.hover} />
        </>
      );
    case 'naming':
      return (
        <>
          <MatchHighlights rects={view.preview.rects} />
          <Highlight rect={view.picked.rect} label={view.picked.label} picked />
          {view.pickingProperty && (
            <>
              <div className="ct-banner" role="status" data-testid="property-banner">
                <span>
                  <Rich parts={tParts('picker.propertyBanner', { esc: <kbd>{t('picker.key.esc')}</kbd> })} />
                </span>
                <button type="button" className="ct-button ct-secondary" onClick={controller.cancelPropertyPick}>
                  {t('picker.stop')}
                </button>
              </div>
              <HoverHighlight store={controller.hover} property />
            </>
          )}
          <NamingPanel view={view} />
        </>
      );
    case 'pageview':
      return <PageViewPanel saving={view.saving} error={view.error} />;
    case 'saved':
      return <SavedToast definition={view.definition} />;
  }
}
