import { usePickerStore } from '@/lib/picker/picker-store';
import { cancelPicking } from '@/lib/picker/controller';
import { Highlight } from './Highlight';
import { NamingPanel } from './NamingPanel';
import { PageViewPanel } from './PageViewPanel';
import { SavedToast } from './SavedToast';

/** Root of the in-page UI (inside Clicktrail's shadow root). Renders nothing while idle. */
export function PickerApp(_props: { host: Element }) {
  const state = usePickerStore((store) => store.view);
  switch (state.phase) {
    case 'idle':
      return null;
    case 'picking':
      return (
        <>
          <div className="ct-banner" role="status" data-testid="picker-banner">
            <span>
              <strong>Clicktrail</strong> — click the element to track. <kbd>Esc</kbd> cancels.
            </span>
            <button type="button" className="ct-button ct-secondary" onClick={cancelPicking}>
              Cancel
            </button>
          </div>
          {state.hover && <Highlight rect={state.hover.rect} label={state.hover.label} />}
        </>
      );
    case 'naming':
      return (
        <>
          <Highlight rect={state.picked.rect} label={state.picked.label} picked />
          <NamingPanel picked={state.picked} saving={state.saving} error={state.error} />
        </>
      );
    case 'pageview':
      return <PageViewPanel saving={state.saving} error={state.error} />;
    case 'saved':
      return <SavedToast definition={state.definition} />;
  }
}
