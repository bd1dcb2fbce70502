import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../lib/browsers/chromium';
import type { CorpusPage } from './corpus';

/** The system Chromium, offline and quiet (see ../shared/notes/browsers-and-toolchain.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A tab that shows captured pages at their original URL with the page's own JavaScript
 * disabled: the capture is served with `Content-Security-Policy: default-src 'none'`, which
 * stops its scripts (while the browser still parses `<noscript>` as it would for a visitor
 * with scripts on) and stops every subresource inside the renderer, cheaply; any request that
 * still gets out is aborted by the route, so nothing leaves the machine. Benchmark code runs
 * through `page.evaluate`, which the page's CSP does not govern.
 */
export class CorpusTab {
  private current: { url: string; html: string } | undefined;

  private constructor(readonly page: Page) {}

  static async open(browser: Browser, script: string): Promise<CorpusTab> {
    const page = await browser.newPage();
    const tab = new CorpusTab(page);
    await page.route('**/*', async (route) => {
      const request = route.request();
      if (tab.current && request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        await route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': "default-src 'none'" },
          body: tab.current.html,
        });
      } else await route.abort();
    });
    tab.script = script;
    return tab;
  }

  private script = '';

  /** Loads `corpusPage` and injects the benchmark script; false when the page would not load. */
  async load(corpusPage: CorpusPage): Promise<boolean> {
    this.current = { url: corpusPage.url, html: fs.readFileSync(corpusPage.file, 'utf8') };
    try {
      await this.page.goto(corpusPage.url, { waitUntil: 'domcontentloaded', timeout: 30_000 });
      await this.page.evaluate(this.script);
      return true;
    } catch (error) {
      console.warn(`skipped ${corpusPage.id}: ${String(error).split('\n')[0]}`);
      return false;
    }
  }
}
