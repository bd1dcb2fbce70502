import '@/lib/zod-config';
import { createRoot } from 'react-dom/client';
import { PickerApp } from '@/components/picker/PickerApp';
import { connectPickerController, createPickerController } from '@/lib/picker/controller';
import { createTestMode } from '@/lib/picker/test-mode';
import { createOverlayProbe } from '@/lib/picker/overlay-frame';
import { createPageHighlightStore } from '@/lib/picker/page-inspection';
import { uiLocale } from '@/lib/i18n';
import { sendToBackground } from '@/lib/messaging';
import { PICKER_HOST_TAG } from '@/lib/shared';
// Bundled as text and given to the shadow root: no stylesheet web pages could load from the extension.
import styles from './style.css?inline';

export default defineContentScript({
  // Not declared for any page: the background injects it into a tab when the user starts picking
  // there, or when the side panel works on the tab in front and may read it (lib/backend/
  // picker-injection.ts, docs/permissions.md), so nothing runs on pages Clicktrail was not used on.
  registration: 'runtime',
  cssInjectionMode: 'manual',
  async main(ctx) {
    const ui = await createShadowRootUi(ctx, {
      name: PICKER_HOST_TAG,
      position: 'inline',
      anchor: 'html',
      isolateEvents: true,
      css: styles,
      // Closed for users, so page scripts cannot reach into the picker; the e2e build keeps it
      // open for Playwright's locators (wxt.config.ts, docs/permissions.md).
      mode: import.meta.env.CLICKTRAIL_E2E ? 'open' : 'closed',
      onMount(container, shadow, host) {
        const frame = createOverlayProbe(shadow);
        const alive = () => ctx.isValid;
        const controller = createPickerController({ window, host, signal: ctx.signal, alive, overlayFrame: frame });
        const testMode = createTestMode({
          window,
          host,
          signal: ctx.signal,
          loadDefinitions: () => sendToBackground('definitions/list'),
        });
        const highlight = createPageHighlightStore();
        connectPickerController(controller, testMode, ctx.signal, { window, highlight, frame });
        container.lang = uiLocale(); // the overlay's language, not the page's
        const root = createRoot(container);
        root.render(<PickerApp controller={controller} testMode={testMode} pageHighlight={highlight} />);
        return root;
      },
      onRemove(root) {
        root?.unmount();
      },
    });
    ui.mount();
  },
});
