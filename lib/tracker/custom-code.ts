import type { CustomCodeErrorsBody } from '../shared/custom-code';
import { report } from './safe';

export interface CustomCode {
  /** Adds the script of this version once: crossorigin, so the server sees the page's origin. */
  load(version: string | undefined): void;
  /** Runs one event's code with `api` in scope; what it throws is caught and reported. */
  run<Api>(eventName: string, code: (api: Api) => void, api: Api): void;
}

/**
 * The events' custom code (`{base}/custom.js`): loaded after the tracker's config names a version,
 * and run snippet by snippet so a snippet that throws stops neither the others nor the tracker.
 * Each snippet's first error on a page is reported to `{base}/errors`. (Closures, not a class:
 * the tracker is built for ES2019 and this minifies to a few hundred bytes.)
 */
export function customCode(win: Window, base: string): CustomCode {
  let loaded: string | undefined;
  const reported: Record<string, true> = {};
  return {
    load(version) {
      if (!version || version === loaded) return;
      loaded = version;
      const script = win.document.createElement('script');
      script.src = `${base}/custom.js?v=${encodeURIComponent(version)}`;
      script.async = true;
      script.crossOrigin = 'anonymous';
      win.document.documentElement.appendChild(script);
    },
    run(eventName, code, api) {
      try {
        code.call(win, api);
      } catch (error) {
        report(error);
        if (reported[eventName]) return;
        reported[eventName] = true;
        const thrown = (error || {}) as { name?: unknown; message?: unknown };
        const body: CustomCodeErrorsBody = {
          errors: [
            {
              eventName,
              name: String(thrown.name),
              message: String(thrown.message || error),
              path: win.location.pathname,
            },
          ],
        };
        win
          .fetch(`${base}/errors`, { method: 'POST', body: JSON.stringify(body), keepalive: true, credentials: 'omit' })
          .catch(report);
      }
    },
  };
}
