/**
 * The site tracking script (`/tracker.js`). Include once:
 *   <script async src="https://your-clicktrail-server/tracker.js" data-portal-id="123"></script>
 * Custom code can call `window.clicktrail.track(...)` or push commands before it loads:
 *   (window._ctq = window._ctq || []).push(['trackCustomBehavioralEvent', { name, properties }]);
 * A consent banner reports the visitor's choice the same way (see docs/privacy.md):
 *   (window._ctq = window._ctq || []).push(['consent', { analytics: true }]);
 */
import { report, safe, setDebug } from './safe';
import { startTracker, type ClicktrailApi } from './tracker';
import { TRACKER_VERSION } from './version';

type Command = [string, Record<string, unknown>?];

interface TrackerWindow extends Window {
  clicktrail?: ClicktrailApi;
  _ctq?: Command[] | { push(command: Command): void };
}

const run = (api: ClicktrailApi, [name, args = {}]: Command) => {
  if (name === 'trackCustomBehavioralEvent') {
    const properties = typeof args.properties === 'object' && args.properties !== null ? args.properties : {};
    api.track(typeof args.name === 'string' ? args.name : '', properties as Record<string, unknown>);
  } else if (name === 'identify') api.identify(args);
  else if (name === 'consent') api.consent(args);
  else report(new Error(`_ctq: ${name}?`));
};

safe(() => {
  const win = window as TrackerWindow;
  if (win.clicktrail) return; // included twice: keep the first
  const script = document.currentScript as HTMLScriptElement | null;
  const portalId = Number(script?.dataset.portalId);
  setDebug(script?.dataset.debug === 'true');
  if (!script || !Number.isSafeInteger(portalId) || portalId <= 0) {
    // Short messages: they are only shown with data-debug="true", and every byte is downloaded by every visitor.
    report(new Error('data-portal-id missing'));
    return;
  }
  const api = startTracker(win, { portalId, api: script.dataset.api ?? new URL(script.src).origin });
  win.clicktrail = Object.assign(api, { version: TRACKER_VERSION });
  const queued = Array.isArray(win._ctq) ? (win._ctq as Command[]) : [];
  const push = safe((command: Command) => run(api, command));
  win._ctq = { push: (command: Command) => void push(command) };
  for (const command of queued) push(command);
  void api.refresh();
})();
