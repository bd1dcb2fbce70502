import { browser } from 'wxt/browser';
import { t, tParts } from '@/lib/i18n';
import type { ConnectionStatus, PickerMode } from '@/lib/messaging';
import { ErrorMessage } from '../common/ErrorMessage';
import { Rich } from '../common/Rich';
import { usePopupStore } from './usePopupStore';

/** Connected: start picking on the current tab, open the side panel, or disconnect. */
export function ConnectedView({ status }: { status: ConnectionStatus }) {
  const { busy, error, startPicking, disconnect } = usePopupStore();

  const track = async (mode: PickerMode) => {
    // The popup closes itself so the user can work on the page; as a tab (tests) it stays.
    if ((await startPicking(mode)) && isPopupWindow()) window.close();
  };

  return (
    <div className="stack">
      <p className="connection" data-testid="connection-status">
        <Rich
          parts={tParts('popup.connectedTo', {
            portalName: <strong>{status.portalName}</strong>,
            portalId: status.portalId,
          })}
        />
        <br />
        <span className="muted">{status.baseUrl}</span>
      </p>
      <button type="button" className="button" onClick={() => void track('element')} disabled={busy}>
        {t('popup.trackElement')}
      </button>
      <button type="button" className="button" onClick={() => void track('pageview')} disabled={busy}>
        {t('popup.trackPageView')}
      </button>
      <button type="button" className="button secondary" onClick={() => void openSidePanel()}>
        {t('popup.openPanel')}
      </button>
      <ErrorMessage error={error} />
      <button type="button" className="link" onClick={() => void disconnect()} disabled={busy}>
        {t('popup.disconnect')}
      </button>
    </div>
  );
}

function isPopupWindow(): boolean {
  return browser.extension.getViews({ type: 'popup' }).includes(window);
}

async function openSidePanel(): Promise<void> {
  // Chrome has the sidePanel API, Firefox the sidebarAction API; both need this click's gesture.
  const api = browser as unknown as {
    sidePanel?: { open(options: { windowId: number }): Promise<void> };
    sidebarAction?: { open(): Promise<void> };
  };
  if (api.sidebarAction) return api.sidebarAction.open();
  const current = await browser.windows.getCurrent();
  if (api.sidePanel && current.id !== undefined) await api.sidePanel.open({ windowId: current.id });
}
