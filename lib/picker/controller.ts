/**
 * Wires the picker in a content script: answers the protocol's content requests, runs pick
 * sessions, turns the picked element into an `ElementTrigger` and saves the definition through
 * the background. Everything started here ends with the content script's context.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { findMatches } from '../matcher';
import { listenInContent, MessageError, sendToBackground } from '../messaging';
import { describeElement } from '../selector';
import type { Trigger, UrlRule } from '../shared';
import { elementLabel, rectOf, suggestEventLabel } from './element-label';
import { startPickSession } from './pick-session';
import { usePickerStore } from './picker-store';

export interface PickerControllerOptions {
  ctx: ContentScriptContext;
  /** The shadow host of Clicktrail's UI: never picked, never blocked. */
  host: Element;
}

let session: AbortController | null = null;
let pickAgain: (() => void) | null = null;

function stopSession(): void {
  session?.abort();
  session = null;
}

export function startPickerController({ ctx, host }: PickerControllerOptions): void {
  const store = usePickerStore;
  const isOwnUi = (event: Event) => event.composedPath().includes(host);

  ctx.signal.addEventListener('abort', stopSession);
  const start = () => {
    stopSession();
    session = new AbortController();
    store.getState().start();
    startPickSession({
      window,
      isOwnUi,
      signal: session.signal,
      onHover: (element) => {
        if (!element || element === host) return store.getState().setHover(null);
        store.getState().setHover({ rect: rectOf(element), label: elementLabel(element) });
      },
      onPick: (element) => {
        stopSession();
        const trigger = describeElement(element, { mode: 'unique' });
        store.getState().pick({
          trigger,
          rect: rectOf(element),
          label: elementLabel(element),
          matchCount: findMatches(trigger, document).length,
          suggestedLabel: suggestEventLabel(element),
        });
      },
      onCancel: () => {
        stopSession();
        store.getState().reset();
      },
    });
  };

  listenInContent(
    {
      'picker/start': ({ mode }) => {
        if (mode === 'element') start();
        else {
          stopSession();
          store.getState().startPageView();
        }
        return { started: true };
      },
      'picker/stop': () => {
        const wasActive = store.getState().view.phase !== 'idle';
        stopSession();
        store.getState().reset();
        return { stopped: wasActive };
      },
    },
    ctx.signal,
  );
  // Restarting from the UI ("Pick again") goes through the same path as the popup's request.
  pickAgain = start;
}

/** Starts a new pick from the picker's own UI. */
export function restartPicking(): void {
  pickAgain?.();
}

/** Closes the picker without saving. */
export function cancelPicking(): void {
  stopSession();
  usePickerStore.getState().reset();
}

export type UrlScope = 'page' | 'site';

/** The URL rule for a scope, from the page the element was picked on. */
export function urlRuleFor(scope: UrlScope, location: Location): UrlRule {
  return scope === 'page' ? { match: 'path', value: location.pathname } : { match: 'any' };
}

/** Saves a definition from the picker's forms; errors stay in the form with nothing lost. */
export async function saveDefinition(input: {
  label: string;
  name?: string;
  trackingType: 'CLICKED_ELEMENT' | 'VISITED_URL';
  trigger: Trigger;
}): Promise<void> {
  const { view, markSaving } = usePickerStore.getState();
  if ((view.phase !== 'naming' && view.phase !== 'pageview') || view.saving) return;
  markSaving();
  try {
    usePickerStore.getState().markSaved(await sendToBackground('definitions/create', input));
  } catch (error) {
    usePickerStore
      .getState()
      .markFailed(
        error instanceof MessageError
          ? error.toData()
          : { code: 'INTERNAL', message: error instanceof Error ? error.message : 'Saving failed.' },
      );
  }
}
