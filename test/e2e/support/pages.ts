import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** The extension popup, opened as a tab (a real popup needs a toolbar click no test can make). */
export class PopupPage {
  constructor(readonly page: Page) {}

  async connect(baseUrl: string, apiKey: string): Promise<void> {
    await this.page.getByLabel('Server URL').fill(baseUrl);
    await this.page.getByLabel('API key', { exact: true }).fill(apiKey);
    await this.page.getByRole('button', { name: 'Connect' }).click();
  }

  async errorText(): Promise<string> {
    return (await this.page.getByRole('alert').textContent({ timeout: 15_000 })) ?? '';
  }

  async expectConnected(): Promise<void> {
    await this.page.getByTestId('connection-status').waitFor({ timeout: 15_000 });
  }

  async trackClickedElement(): Promise<void> {
    await this.page.getByRole('button', { name: 'Track clicked element' }).click();
  }

  async trackPageView(): Promise<void> {
    await this.page.getByRole('button', { name: 'Track page view' }).click();
  }
}

/** A demo-site page with Clicktrail's picker overlay (inside its open shadow root). */
export class DemoPage {
  constructor(readonly page: Page) {}

  /** Playwright's CSS engine pierces open shadow roots, so the overlay is found like page content. */
  picker(testId: string) {
    return this.page.locator(`clicktrail-picker [data-testid="${testId}"]`);
  }

  addToCart(productId: string) {
    return this.page.locator(`button[data-product-id="${productId}"]`);
  }

  async cartCount(): Promise<string> {
    return (await this.page.locator('#cart-count').textContent()) ?? '';
  }

  /**
   * The picked highlight glides to its target (a 60 ms transition, positioned after a frame), so
   * this waits for it to settle over the target rather than reading it mid-move.
   */
  async expectHighlightOver(selector: string): Promise<void> {
    const offset = async (): Promise<number> => {
      const target = await this.page.locator(selector).boundingBox();
      const highlight = await this.picker('picker-highlight').boundingBox();
      if (!target || !highlight) return Number.POSITIVE_INFINITY;
      return Math.max(
        Math.abs(highlight.x - target.x),
        Math.abs(highlight.y - target.y),
        Math.abs(highlight.width - target.width),
      );
    };
    await expect.poll(offset, { timeout: 5_000 }).toBeLessThan(2);
  }

  /**
   * The hover label sits 4 px above the element (below it where there is no room above), at its
   * left edge, and wholly inside the viewport, 4 px from its edges (shifted left near the right one).
   */
  async expectLabelBeside(selector: string): Promise<void> {
    const misplacement = async (): Promise<number> => {
      const target = await this.page.locator(selector).boundingBox();
      const label = await this.picker('picker-tooltip').boundingBox();
      const viewport = await this.page.evaluate(() => document.documentElement.clientWidth);
      if (!target || !label) return Number.POSITIVE_INFINITY;
      const left = Math.max(4, Math.min(target.x, viewport - 4 - label.width));
      const vertical = Math.min(
        Math.abs(label.y + label.height + 4 - target.y),
        Math.abs(label.y - 4 - (target.y + target.height)),
      );
      return Math.max(Math.abs(label.x - left), vertical);
    };
    await expect.poll(misplacement, { timeout: 5_000 }).toBeLessThan(1.5);
  }
}
