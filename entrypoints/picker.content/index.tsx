import '@/lib/zod-config';
import { createRoot } from 'react-dom/client';
import { PickerApp } from '@/components/picker/PickerApp';
import { connectPickerController, createPickerController } from '@/lib/picker/controller';
import { createTestMode } from '@/lib/picker/test-mode';
import { sendToBackground } from '@/lib/messaging';
import { PICKER_HOST_TAG } from '@/lib/shared';
import './style.css';

export default defineContentScript({
  matches: ['<all_urls>'],
  cssInjectionMode: 'ui',
  async main(ctx) {
    const ui = await createShadowRootUi(ctx, {
      name: PICKER_HOST_TAG,
      position: 'inline',
      anchor: 'html',
      isolateEvents: true,
      onMount(container, _shadow, host) {
        const controller = createPickerController({ window, host, signal: ctx.signal });
        const testMode = createTestMode({
          window,
          host,
          signal: ctx.signal,
          loadDefinitions: () => sendToBackground('definitions/list'),
        });
        connectPickerController(controller, testMode, ctx.signal);
        const root = createRoot(container);
        root.render(<PickerApp controller={controller} testMode={testMode} />);
        return root;
      },
      onRemove(root) {
        root?.unmount();
      },
    });
    ui.mount();
  },
});
