import '@/lib/zod-config';
import { createRoot } from 'react-dom/client';
import { PickerApp } from '@/components/picker/PickerApp';
import { startPickerController } from '@/lib/picker/controller';
import './style.css';

export default defineContentScript({
  matches: ['<all_urls>'],
  cssInjectionMode: 'ui',
  async main(ctx) {
    const ui = await createShadowRootUi(ctx, {
      name: 'clicktrail-picker',
      position: 'inline',
      anchor: 'html',
      isolateEvents: true,
      onMount(container, _shadow, host) {
        const root = createRoot(container);
        root.render(<PickerApp host={host} />);
        return root;
      },
      onRemove(root) {
        root?.unmount();
      },
    });
    ui.mount();
    startPickerController({ ctx, host: ui.shadowHost });
  },
});
