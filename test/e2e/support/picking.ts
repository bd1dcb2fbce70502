import type { DemoPage, PopupPage } from './pages';

/**
 * Starts the picker on `on` from the popup. A heavy real page may still be loading when the content
 * script's turn comes, so it asks again (three tries, each waiting longer).
 */
export async function startPickingOn(popup: PopupPage, on: DemoPage): Promise<DemoPage> {
  for (let attempt = 1; ; attempt++) {
    await on.page.bringToFront();
    await popup.trackClickedElement();
    try {
      await on.picker('picker-banner').waitFor({ timeout: 5_000 * attempt });
      return on;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Names the picked event `label`, saves it and closes the saved notice. */
export async function saveAs(on: DemoPage, label: string): Promise<void> {
  await on.picker('picker-label').fill(label);
  await on.picker('picker-save').click();
  await on.picker('picker-saved').waitFor({ timeout: 15_000 });
  await on.picker('picker-saved').getByRole('button', { name: 'Done' }).click();
  await on.picker('picker-saved').waitFor({ state: 'detached' });
}
