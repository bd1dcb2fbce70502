/**
 * The picker of one content script: answers the protocol's content requests, runs pick sessions,
 * turns the picked element into an `ElementTrigger`, keeps the panel's live checks (match count,
 * conditions, page properties) computed by the shared evaluation, and saves the definition
 * through the background. No module state: everything lives in the controller a content script
 * creates, and ends with the `signal` it is given.
 */
import { t } from '../i18n';
import { elementText, findMatches, previewClickTrigger, type PropertyReading } from '../matcher';
import { listenInContent, MessageError, sendToBackground, type BackgroundResponses } from '../messaging';
import { describeElement, stableClasses } from '../selector';
import {
  PICKER_ACTIVE_ATTRIBUTE,
  textConditionSchema,
  visitorTokenFromCookies,
  type ClickConditions,
  type ClickTrigger,
  type EventDefinition,
  type EventDefinitionCreate,
  type PageProperty,
  type PropertyDefinitionInput,
  type TextCondition,
  type UrlRule,
} from '../shared';
import { elementLabel, rectOf, sameOriginDocument, suggestEventLabel } from './element-label';
import { firstChildTarget, meaningfulTarget, parentTarget } from './meaningful-target';
import { IDENTITY_FRAME, toOverlay, type OverlayFrame } from './overlay-frame';
import { propertyNameFor, relativeSource } from './page-property-draft';
import { startPickSession } from './pick-session';
import type { TestMode } from './test-mode';
import { highlightTrigger, inspectPage, type PageHighlightStore } from './page-inspection';
import {
  createHoverStore,
  createPickerStore,
  type HoverInfo,
  type PickDraft,
  type PickPreview,
  type Picked,
  type PickerStore,
  type PropertyDraft,
} from './picker-store';

/** Matches drawn on the page at most: enough to see the pattern, bounded for huge pages. */
const MAX_HIGHLIGHTS = 300;
/**
 * While the page keeps changing (carousels, tickers, live feeds), the pick's matches are searched
 * again at most this often, and never for more than a tenth of the time: one search costs up to
 * tens of ms on a large page, and running it on every animation frame of a page that animates
 * by changing its DOM made the page stutter while the panel was open. Scroll and resize only move
 * the highlights (every frame), which is cheap.
 */
const PREVIEW_MIN_GAP_MS = 150;
const PREVIEW_COST_SHARE = 10;

/**
 * A page may remove Clicktrail's host element (a framework re-rendering `<html>`, a guard against
 * unknown elements): it is put back, unless that happens this often within `HOST_REMOVAL_WINDOW_MS`,
 * then the picker ends completely rather than run on unseen.
 */
const MAX_HOST_REMOVALS = 3;
const HOST_REMOVAL_WINDOW_MS = 1_000;

/** How often an open picker checks that its extension is still there (reloaded, updated, removed). */
const LIVENESS_INTERVAL_MS = 1_000;

export interface PickerControllerOptions {
  /** The top window of the page the picker runs in. */
  window: Window;
  /** The shadow host of Clicktrail's UI: never picked, never blocked. */
  host: Element;
  /** Everything the controller starts is stopped when this aborts (the content script's `ctx.signal`). */
  signal: AbortSignal;
  /** Saves a definition (the background's `definitions/create`); replaced in tests. */
  createDefinition?: (input: EventDefinitionCreate) => Promise<BackgroundResponses['definitions/create']>;
  /** Loads an event to re-pick (the background's `definitions/get`); replaced in tests. */
  loadDefinition?: (name: string) => Promise<EventDefinition>;
  /** Replaces an event's trigger if it is still at `version` (the background's `definitions/update`). */
  updateTrigger?: (name: string, version: number, trigger: ClickTrigger) => Promise<EventDefinition>;
  /** Adds a property to an event if it is still at `version` (the background's `definitions/property-add`). */
  addProperty?: (name: string, version: number, property: PropertyDefinitionInput) => Promise<EventDefinition>;
  /**
   * False once the extension behind this content script is gone (reloaded, updated, removed):
   * checked while the picker is open, so the content script's `signal` aborts and everything
   * the picker started goes (WXT's `ctx.isValid` does both).
   */
  alive?: () => boolean;
  /** Measures where the overlay's fixed boxes land (lib/picker/overlay-frame.ts); none: the viewport. */
  overlayFrame?: () => OverlayFrame;
}

/** A condition as the user typed it; only valid ones are applied. */
export function validConditions(conditions: ClickConditions): ClickConditions | undefined {
  const valid: ClickConditions = {};
  for (const key of ['text', 'href'] as const) {
    const condition = conditions[key];
    if (condition && textConditionSchema.safeParse(condition).success) valid[key] = condition;
  }
  return valid.text || valid.href ? valid : undefined;
}

/** The problem with a condition the user typed (empty value, bad or unsafe regex), or undefined. */
export function conditionProblem(condition: TextCondition | undefined): string | undefined {
  if (!condition) return undefined;
  const parsed = textConditionSchema.safeParse(condition);
  if (parsed.success) return undefined;
  const message = parsed.error.issues[0]?.message ?? 'invalid condition';
  return condition.value === ''
    ? t('picker.condition.empty')
    : `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

/** The trigger's page properties from the panel's drafts. */
export function pagePropertiesOf(drafts: readonly PropertyDraft[]): PageProperty[] {
  return drafts.map(({ name, source, type }) => ({ name, source, type }));
}

function linkOf(el: Element): string | undefined {
  const link = el.closest('a[href], area[href]');
  return link?.getAttribute('href') ?? undefined;
}

/** Creates the picker for one page; `connect` wires it to the extension's messages. */
export function createPickerController(options: PickerControllerOptions) {
  const { window: win, host, signal } = options;
  const store: PickerStore = createPickerStore();
  const hoverStore = createHoverStore();
  const setHover = (hover: HoverInfo | null) => {
    if (hover !== hoverStore.getState().hover) hoverStore.setState({ hover });
  };
  const createDefinition =
    options.createDefinition ?? ((input: EventDefinitionCreate) => sendToBackground('definitions/create', input));
  const loadDefinition = options.loadDefinition ?? ((name: string) => sendToBackground('definitions/get', { name }));
  const updateTrigger =
    options.updateTrigger ??
    ((name: string, version: number, trigger: ClickTrigger) =>
      sendToBackground('definitions/set-trigger', { name, version, trigger }));
  const addDefinitionProperty =
    options.addProperty ??
    ((name: string, version: number, property: PropertyDefinitionInput) =>
      sendToBackground('definitions/property-add', { name, version, property }));
  const isOwnUi = (event: Event) => event.composedPath().includes(host);
  const overlayFrame = options.overlayFrame ?? (() => IDENTITY_FRAME);
  /** Where the overlay draws an element (its viewport rectangle in the overlay's frame). */
  const overlayRectOf = (element: Element, frame = overlayFrame()) => toOverlay(rectOf(element), frame);
  /** When the page removed the host element lately (see MAX_HOST_REMOVALS). */
  let hostRemovals: number[] = [];
  /** The page removed the host element too often: the picker ended (until the next start). */
  let hostLost = false;
  /** Watches the modal dialog the host was moved into, to leave it when it closes (placeHost). */
  let dialogWatch: MutationObserver | null = null;
  signal.addEventListener('abort', () => dialogWatch?.disconnect());

  /** Listeners of the current pick session (element or property). */
  let session: AbortController | null = null;
  /** Listeners of the naming phase (keys, scroll, page mutations). */
  let naming: AbortController | null = null;
  let current: Element | null = null;
  let hovered: Element | null = null;
  /** Elements ↓ returns to, most recent last. */
  let children: Element[] = [];
  let matches: Element[] = [];
  /** The matches that pass the draft's conditions (drawn solid; the others dashed). */
  let passingMatches = new Set<Element>();
  let frame = 0;
  /** The next animation frame searches the matches again (the page changed), not only moves them. */
  let researchDue = false;
  /** When the last search of the matches ended, and how long it took (performance.now ms). */
  let lastSearch = { at: Number.NEGATIVE_INFINITY, took: 0 };
  /** A search put off until PREVIEW_MIN_GAP_MS has passed. */
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  const state = () => store.getState();
  const stopSession = () => {
    session?.abort();
    session = null;
    hovered = null;
    setHover(null);
  };
  const stopNaming = () => {
    naming?.abort();
    naming = null;
    if (frame) win.cancelAnimationFrame(frame);
    frame = 0;
    researchDue = false;
    clearTimeout(searchTimer);
    searchTimer = undefined;
  };
  const stopAll = () => {
    stopSession();
    stopNaming();
    current = null;
    children = [];
    matches = [];
  };
  signal.addEventListener('abort', stopAll);
  // Tell the site's tracker to ignore clicks while the picker is open (see PICKER_ACTIVE_SELECTOR).
  const unsubscribe = store.subscribe(({ view }) => {
    host.toggleAttribute(PICKER_ACTIVE_ATTRIBUTE, view.phase === 'picking' || view.phase === 'naming');
  });
  signal.addEventListener('abort', () => {
    unsubscribe();
    host.removeAttribute(PICKER_ACTIVE_ATTRIBUTE);
  });
  // While anything shows, check now and then that the extension is still there: a reloaded
  // extension's content script hears nothing more, and would otherwise keep blocking clicks.
  let liveness = 0;
  const unsubscribeLiveness = store.subscribe(({ view }) => {
    if (view.phase === 'idle' || !options.alive) {
      win.clearInterval(liveness);
      liveness = 0;
    } else if (!liveness) {
      liveness = win.setInterval(() => {
        if (!options.alive?.()) cancel();
      }, LIVENESS_INTERVAL_MS);
    }
  });
  signal.addEventListener('abort', () => {
    unsubscribeLiveness();
    win.clearInterval(liveness);
  });

  /**
   * Puts the host element back where the page removed it; false (and the picker ended) when the
   * page keeps removing it.
   */
  function keepHost(): boolean {
    if (host.isConnected) return true;
    const now = Date.now();
    hostRemovals = [...hostRemovals.filter((at) => now - at < HOST_REMOVAL_WINDOW_MS), now];
    if (hostRemovals.length > MAX_HOST_REMOVALS || !win.document.documentElement) {
      hostLost = true;
      cancel();
      return false;
    }
    win.document.documentElement.append(host);
    return true;
  }

  /**
   * A modal `<dialog>` (a quick view, a consent box) makes everything outside it inert and covers
   * it, the picker's panel included: while one is open the host lives in the topmost one, and
   * goes back to `<html>` when it closes, whatever shows then (a saved toast, test mode). (Not
   * handled: a dialog the page transforms, whose overflow would clip the panel.)
   */
  function placeHost(): void {
    const doc = win.document;
    let modal: Element | undefined;
    try {
      const open = doc.querySelectorAll('dialog:modal');
      modal = open[open.length - 1];
    } catch {
      // A browser without :modal: the host stays where it is.
      return;
    }
    const parent = modal ?? doc.documentElement;
    if (!parent || host.parentNode === parent) return;
    parent.append(host);
    dialogWatch?.disconnect();
    dialogWatch = null;
    const Observer = (win as Window & typeof globalThis).MutationObserver;
    if (!modal || typeof Observer !== 'function') return;
    const dialog = modal;
    dialogWatch = new Observer(() => {
      if (dialog.matches(':modal')) return;
      dialogWatch?.disconnect();
      dialogWatch = null;
      placeHost();
    });
    dialogWatch.observe(dialog, { attributes: true, attributeFilter: ['open'] });
  }

  /** Pick sessions in the top window and every same-origin iframe below it. */
  function startSessions(purpose: 'element' | 'property', onPick: (element: Element) => void): void {
    stopSession();
    session = new AbortController();
    const own = session;
    const onHover = (element: Element | null) => {
      const target = element && purpose === 'element' ? meaningfulTarget(element) : element;
      if (target === hovered) return;
      hovered = target && target !== host ? target : null;
      if (hovered && purpose === 'element' && hovered.localName === 'iframe') attachFrame(hovered);
      setHover(hovered ? { rect: overlayRectOf(hovered), label: elementLabel(hovered) } : null);
    };
    const attached = new WeakSet<Window>();
    const attach = (target: Window) => {
      if (attached.has(target)) return;
      attached.add(target);
      startPickSession({
        window: target,
        isOwnUi,
        signal: own.signal,
        onHover,
        onPick: (element) => {
          const snapped = purpose === 'element' ? meaningfulTarget(element) : element;
          if (snapped.localName === 'iframe' && !sameOriginDocument(snapped)) {
            onHover(snapped);
            return; // cross-origin: its label says so; picking the <iframe> itself would mislead
          }
          onPick(snapped);
        },
        onCancel: () => (purpose === 'element' ? cancel() : cancelPropertyPick()),
        onScroll: scheduleFrame,
      });
      for (const iframe of Array.from(target.document.querySelectorAll('iframe'))) attachFrame(iframe);
    };
    function attachFrame(iframe: Element) {
      const doc = sameOriginDocument(iframe);
      if (doc?.defaultView) attach(doc.defaultView);
    }
    attach(win);
  }

  function start(): void {
    stopAll();
    hostRemovals = [];
    hostLost = false;
    if (!keepHost()) return;
    placeHost();
    state().set({ phase: 'picking', purpose: 'element' });
    startActiveListeners();
    startSessions('element', (element) => pick(element));
  }

  function pick(element: Element): void {
    stopSession();
    children = [];
    current = element;
    if (!naming) startActiveListeners();
    // A re-pick keeps the event's mode and conditions (its page properties are kept as they are).
    const old = state().repick?.trigger;
    const draft: PickDraft = {
      mode: old?.element.mode ?? 'unique',
      conditions: old?.conditions ?? {},
      properties: [],
    };
    render(draft, { keepForm: false });
  }

  function describe(element: Element, mode: PickDraft['mode']): Picked {
    const trigger = describeElement(element, { mode });
    return {
      trigger,
      rect: overlayRectOf(element),
      label: elementLabel(element),
      suggestedLabel: suggestEventLabel(element),
      text: elementText(element) ?? '',
      href: linkOf(element),
      attributes: Array.from(element.attributes)
        .map((attribute) => attribute.name)
        .filter((name) => name !== 'style' && name !== 'class' && !name.startsWith('on'))
        .slice(0, 30),
      canParent: parentTarget(element) !== null,
      canChild: children.length > 0 || firstChildTarget(element) !== null,
    };
  }

  /** The click trigger the panel would save right now (URL rule aside). */
  function clickTrigger(picked: Picked, draft: PickDraft): ClickTrigger {
    const conditions = validConditions(draft.conditions);
    return {
      kind: 'click',
      element: picked.trigger,
      url: { match: 'any' },
      ...(conditions ? { conditions } : {}),
      ...(draft.properties.length > 0 ? { properties: pagePropertiesOf(draft.properties) } : {}),
    };
  }

  /** Describes `current` in the draft's mode and runs the shared evaluation for the panel. */
  function render(draft: PickDraft, { keepForm }: { keepForm: boolean }): void {
    const element = current;
    if (!element) return;
    const picked = describe(element, draft.mode);
    const preview = computePreview(picked, draft, element);
    const view = state().view;
    const previous = view.phase === 'naming' && keepForm ? view : undefined;
    state().set({
      phase: 'naming',
      picked,
      draft,
      preview,
      pickingProperty: false,
      propertyError: previous?.propertyError ?? null,
      saving: false,
      error: previous?.error ?? null,
    });
  }

  function computePreview(picked: Picked, draft: PickDraft, element: Element): PickPreview {
    const result = previewClickTrigger(clickTrigger(picked, draft), win.document, win.location.href, element);
    matches = result.found;
    const passing = (passingMatches = new Set(result.passing));
    const frame = overlayFrame();
    return {
      found: result.found.length,
      passing: result.passing.length,
      rects: result.found
        .slice(0, MAX_HIGHLIGHTS)
        .map((el) => ({ rect: overlayRectOf(el, frame), passing: passing.has(el) })),
      properties: result.properties,
    };
  }

  /**
   * Moves the hover highlight to where its element is now (hidden when it is gone), while one is
   * shown; true when nothing else is on screen to refresh (picking, no pick yet).
   */
  function refreshHover(view: ReturnType<typeof state>['view']): boolean {
    if (!hovered || !(view.phase === 'picking' || (view.phase === 'naming' && view.pickingProperty))) return false;
    const hover = hovered.isConnected ? { rect: overlayRectOf(hovered), label: elementLabel(hovered) } : null;
    if (!hover) hovered = null;
    setHover(hover);
    return view.phase === 'picking';
  }

  /** Recomputes what depends on the page (rects, counts, previews) without touching the form. */
  function refreshPreview(): void {
    const view = state().view;
    if (refreshHover(view) || view.phase !== 'naming' || !current) return;
    if (!current.isConnected) {
      // The site re-rendered (or changed route): find the same element again, else say so.
      const [again] = findMatches({ ...view.picked.trigger, mode: 'unique' }, win.document);
      if (again && again !== current) {
        current = again;
        children = [];
        render(view.draft, { keepForm: true });
        return;
      }
      if (!again) {
        state().updateNaming((v) => ({
          picked: { ...v.picked, notice: t('picker.elementLeft') },
        }));
        return;
      }
    }
    const preview = computePreview(view.picked, view.draft, current);
    state().updateNaming((v) => ({
      preview,
      picked: { ...v.picked, rect: overlayRectOf(current!), notice: undefined },
    }));
  }

  /** Moves the highlights to where their elements are now (after a scroll or resize). */
  function refreshRects(): void {
    const view = state().view;
    if (refreshHover(view) || view.phase !== 'naming' || !current) return;
    // An element gone is a page change: the search that follows it finds the element again.
    if (!current.isConnected) return refreshPreview();
    const overlay = overlayFrame();
    const rects = matches
      .slice(0, MAX_HIGHLIGHTS)
      .map((el) => ({ rect: overlayRectOf(el, overlay), passing: passingMatches.has(el) }));
    state().updateNaming((v) => ({
      preview: { ...v.preview, rects },
      picked: { ...v.picked, rect: overlayRectOf(current!, overlay) },
    }));
  }

  /** Redraws in the next frame: moves the highlights, or searches again when a page change is due. */
  function scheduleFrame(): void {
    if (frame) return;
    frame = win.requestAnimationFrame(() => {
      frame = 0;
      if (!researchDue) return refreshRects();
      researchDue = false;
      const started = performance.now();
      refreshPreview();
      const ended = performance.now();
      lastSearch = { at: ended, took: ended - started };
    });
  }

  /**
   * The page changed: search the matches again in the next frame, or once PREVIEW_MIN_GAP_MS (or
   * ten times the last search's cost) has passed since the last search.
   */
  function scheduleSearch(): void {
    if (researchDue || searchTimer !== undefined) return;
    const gap = Math.max(PREVIEW_MIN_GAP_MS, lastSearch.took * PREVIEW_COST_SHARE);
    const wait = lastSearch.at + gap - performance.now();
    if (wait <= 0) {
      researchDue = true;
      return scheduleFrame();
    }
    searchTimer = setTimeout(() => {
      searchTimer = undefined;
      researchDue = true;
      scheduleFrame();
    }, wait);
  }

  /**
   * Listeners for as long as the picker shows (picking and naming): highlights follow scroll,
   * resize and page changes (SPA re-renders, route changes), ↑ / ↓ / Esc work with focus on the
   * page, and a page that removes Clicktrail's host element closes the picker completely.
   */
  function startActiveListeners(): void {
    stopNaming();
    naming = new AbortController();
    const listen = { capture: true, signal: naming.signal, passive: true } as const;
    // Scroll and resize only move the highlights (no search) in the next frame.
    win.addEventListener('scroll', scheduleFrame, listen);
    win.addEventListener('resize', scheduleFrame, listen);
    win.addEventListener(
      'keydown',
      (event) => {
        if (isOwnUi(event)) return; // the panel handles its own keys
        if (handleKey(event)) event.preventDefault();
      },
      { capture: true, signal: naming.signal },
    );
    const Observer = (win as Window & typeof globalThis).MutationObserver;
    if (typeof Observer !== 'function') return;
    const observer = new Observer((records) => {
      if (!keepHost()) return;
      if (records.some((record) => record.attributeName === 'open')) placeHost();
      // Our own overlay re-rendering is not a page change.
      if (records.every((record) => record.target === host || host.contains(record.target))) return;
      scheduleSearch();
    });
    observer.observe(win.document, { subtree: true, childList: true, attributes: true, characterData: true });
    naming.signal.addEventListener('abort', () => observer.disconnect());
  }

  /** ↑ / ↓ (and Escape) during naming; true when the key was used. */
  function handleKey(event: KeyboardEvent): boolean {
    const view = state().view;
    if (view.phase !== 'naming' || view.pickingProperty) return false;
    if (event.key === 'ArrowUp') return moveToParent();
    if (event.key === 'ArrowDown') return moveToChild();
    if (event.key === 'Escape') {
      cancel();
      return true;
    }
    return false;
  }

  function moveTo(next: Element): void {
    const view = state().view;
    if (view.phase !== 'naming') return;
    current = next;
    // Conditions and relative properties were made for the previous element.
    render(
      { ...view.draft, conditions: {}, properties: view.draft.properties.filter((p) => p.source.kind === 'query') },
      { keepForm: true },
    );
  }

  function moveToParent(): boolean {
    const parent = current && parentTarget(current);
    if (!current || !parent) return false;
    children.push(current);
    moveTo(parent);
    return true;
  }

  function moveToChild(): boolean {
    if (!current) return false;
    const child = children.pop() ?? firstChildTarget(current);
    if (!child) return false;
    moveTo(child);
    return true;
  }

  function updateDraft(change: (draft: PickDraft) => PickDraft): void {
    const view = state().view;
    if (view.phase !== 'naming' || !current) return;
    const draft = change(view.draft);
    if (draft.mode !== view.draft.mode) {
      render(draft, { keepForm: true });
      return;
    }
    const preview = computePreview(view.picked, draft, current);
    state().updateNaming(() => ({ draft, preview }));
  }

  function addProperty(property: Omit<PropertyDraft, 'name'> & { name?: string }): void {
    updateDraft((draft) => {
      const taken = draft.properties.map((p) => p.name);
      const name =
        property.name && !taken.includes(property.name) ? property.name : propertyNameFor(property.label, taken);
      return { ...draft, properties: [...draft.properties, { ...property, name }] };
    });
  }

  function pickProperty(): void {
    const view = state().view;
    if (view.phase !== 'naming' || !current) return;
    state().updateNaming(() => ({ pickingProperty: true, propertyError: null }));
    startSessions('property', (element) => {
      stopSession();
      const clicked = current;
      state().updateNaming(() => ({ pickingProperty: false }));
      if (!clicked) return;
      const found = relativeSource(clicked, element);
      if ('problem' in found) {
        state().updateNaming(() => ({ propertyError: found.problem }));
        return;
      }
      const heading = /^h[1-6]$/.test(element.localName);
      const label = heading
        ? t('picker.property.heading')
        : (stableClasses(element)[0]?.replace(/[-_]+/g, ' ') ??
          t('picker.property.elementTextOf', { tag: element.localName }));
      addProperty({
        label: label.charAt(0).toUpperCase() + label.slice(1),
        type: 'string',
        source: found.source,
        description: found.description,
      });
    });
  }

  function cancelPropertyPick(): void {
    stopSession();
    state().updateNaming(() => ({ pickingProperty: false }));
  }

  function cancel(): void {
    stopAll();
    state().reset();
  }

  async function save(
    input: Omit<EventDefinitionCreate, 'trigger' | 'trackingType' | 'propertyDefinitions'> & { url: UrlRule },
  ) {
    const view = state().view;
    if (view.phase !== 'naming' || view.saving) return;
    const { label, name, url } = input;
    const trigger: ClickTrigger = { ...clickTrigger(view.picked, view.draft), url };
    await persist({
      label,
      ...(name ? { name } : {}),
      trackingType: 'CLICKED_ELEMENT',
      trigger,
      propertyDefinitions: view.draft.properties.map((p) => ({
        name: p.name,
        label: p.label,
        type: p.type,
        options: [],
      })),
    });
  }

  async function savePageView(input: { label: string; name?: string; url: UrlRule }): Promise<void> {
    const view = state().view;
    if (view.phase !== 'pageview' || view.saving) return;
    await persist({
      label: input.label,
      ...(input.name ? { name: input.name } : {}),
      trackingType: 'VISITED_URL',
      trigger: { kind: 'pageview', url: input.url },
      propertyDefinitions: [],
    });
  }

  /**
   * Starts re-picking the element of the click event `name`: loads it, counts what its current
   * trigger finds here, and starts a pick whose save replaces that trigger (conditional on the
   * version loaded, so a change made meanwhile is refused, not overwritten).
   */
  async function startRepick(name: string): Promise<void> {
    const definition = await loadDefinition(name);
    const trigger = definition.trigger;
    if (trigger?.kind !== 'click') {
      throw new MessageError({
        code: 'NOT_A_CLICK_EVENT',
        message: t('health.notClickEvent', { label: definition.label }),
      });
    }
    stopAll();
    state().setRepick({ definition, trigger, oldFound: findMatches(trigger.element, win.document).length });
    start();
  }

  /**
   * Saves a re-pick: the new element trigger, with the URL rule chosen, the event's page properties
   * and those added while re-picking. Each added one first becomes a property of the event (every
   * addition moves the event's version on, so the next write names the new one); a retry after a
   * failure skips those already added.
   */
  async function saveRepick(url: UrlRule): Promise<void> {
    const view = state().view;
    const repick = state().repick;
    if (view.phase !== 'naming' || view.saving || !repick) return;
    const { properties: added = [], ...element } = clickTrigger(view.picked, view.draft);
    const properties = [...(repick.trigger.properties ?? []), ...added];
    const trigger: ClickTrigger = { ...element, url, ...(properties.length > 0 ? { properties } : {}) };
    state().markSaving();
    try {
      let progress = repick;
      for (const property of view.draft.properties) {
        if (progress.definition.properties.some((existing) => existing.name === property.name)) {
          if (progress.added?.includes(property.name)) continue;
          throw new MessageError({
            code: 'DUPLICATE_PROPERTY',
            message: t('picker.repickPropertyExists', { name: property.name }),
          });
        }
        const input = { name: property.name, label: property.label, type: property.type, options: [] };
        const definition = await addDefinitionProperty(progress.definition.name, progress.definition.version, input);
        progress = { ...progress, definition, added: [...(progress.added ?? []), property.name] };
        state().setRepick(progress);
      }
      const saved = await updateTrigger(progress.definition.name, progress.definition.version, trigger);
      stopAll();
      state().markSaved(saved);
    } catch (error) {
      state().markFailed(
        error instanceof MessageError
          ? error.toData()
          : { code: 'INTERNAL', message: error instanceof Error ? error.message : t('picker.savingFailed') },
      );
    }
  }

  /** Saves through the background; errors stay in the form with nothing lost. */
  async function persist(definition: EventDefinitionCreate): Promise<void> {
    state().markSaving();
    try {
      const saved = await createDefinition(definition);
      stopAll();
      state().markSaved(saved);
    } catch (error) {
      state().markFailed(
        error instanceof MessageError
          ? error.toData()
          : { code: 'INTERNAL', message: error instanceof Error ? error.message : t('picker.savingFailed') },
      );
    }
  }

  return {
    store,
    /** The element under the pointer while picking, apart from `store` (it changes on every move). */
    hover: hoverStore,
    /** The page's address, for URL rules. */
    page: () => win.location,
    pageTitle: () => win.document.title,
    start: () => {
      state().setRepick(null);
      start();
    },
    startRepick,
    saveRepick,
    startPageView: () => {
      stopAll();
      hostRemovals = [];
      hostLost = false;
      if (!keepHost()) return;
      placeHost();
      state().setRepick(null);
      state().set({ phase: 'pageview', saving: false, error: null });
    },
    /** Whether the page removed Clicktrail's host element so often that the picker ended. */
    hostLost: () => hostLost,
    /** Stops whatever runs; true when something was active. */
    stop: () => {
      const wasActive = state().view.phase !== 'idle';
      cancel();
      return wasActive;
    },
    cancel,
    restart: start,
    moveToParent,
    moveToChild,
    handleKey,
    setMode: (mode: PickDraft['mode']) => updateDraft((draft) => ({ ...draft, mode })),
    setConditions: (conditions: ClickConditions) => updateDraft((draft) => ({ ...draft, conditions })),
    pickProperty,
    cancelPropertyPick,
    addProperty,
    updateProperty: (name: string, change: Partial<Pick<PropertyDraft, 'name' | 'label' | 'type'>>) =>
      updateDraft((draft) => ({
        ...draft,
        properties: draft.properties.map((p) => (p.name === name ? { ...p, ...change } : p)),
      })),
    removeProperty: (name: string) =>
      updateDraft((draft) => ({ ...draft, properties: draft.properties.filter((p) => p.name !== name) })),
    /** The reading of a property on this page (for the panel). */
    reading: (readings: readonly PropertyReading[], name: string) => readings.find((r) => r.name === name),
    save,
    savePageView,
    /** The elements currently matched (for tests and benchmarks: what the highlights show). */
    matches: () => matches,
  };
}

export type PickerController = ReturnType<typeof createPickerController>;

/**
 * Answers the popup's, side panel's and background's requests to this tab's picker and test mode;
 * stops with `signal`. Asks the background once whether test mode is on in this tab (it stays on
 * across the tab's page loads).
 */
export function connectPickerController(
  controller: PickerController,
  testMode: TestMode,
  signal: AbortSignal,
  page: { window: Window; highlight: PageHighlightStore; frame?: () => OverlayFrame },
): void {
  listenInContent(
    {
      // The side panel's look at this page (lib/picker/page-inspection.ts).
      'page/inspect': ({ triggers }) => inspectPage(page.window, triggers),
      'page/highlight': ({ trigger }) => highlightTrigger(page.window, page.highlight, trigger, page.frame?.()),
      'picker/start': async ({ mode, repick }) => {
        if (repick) await controller.startRepick(repick.name);
        else if (mode === 'element') controller.start();
        else controller.startPageView();
        // A page that removes Clicktrail's UI does it at once (its mutation observers run first).
        await new Promise((resolve) => page.window.setTimeout(resolve, 50));
        if (controller.hostLost()) {
          throw new MessageError({ code: 'PICKER_REMOVED', message: t('errors.pickerRemoved') });
        }
        return { started: true };
      },
      'picker/stop': () => ({ stopped: controller.stop() }),
      'testmode/start': async () => {
        await testMode.start();
        return { started: true };
      },
      'testmode/stop': () => ({ stopped: testMode.stop() }),
      'testmode/visitor': () => ({
        utk: visitorTokenFromCookies(testMode.cookies()),
        origin: testMode.origin(),
      }),
    },
    signal,
  );
  sendToBackground('testmode/state', undefined)
    .then(({ on }) => (on && !signal.aborted ? testMode.start() : undefined))
    .catch(() => {
      // Not connected, or the extension was reloaded: no test mode, nothing to tell the page.
    });
}
