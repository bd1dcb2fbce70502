/**
 * Consent in the site tracker (issue 17): what the tracker may store on the visitor's device and
 * send, from the portal's consent mode, the visitor's choice and the browser's privacy signals.
 * Nothing here throws; nothing is stored unless the policy allows it.
 */
import type { ConsentMode, TrackerPrivacy } from '../shared/privacy';

/** The visitor's choice: given by the site through `clicktrail.consent({ analytics })`. */
export type ConsentDecision = 'granted' | 'denied' | undefined;

/**
 * What the tracker does with completions:
 * - `identified`: the visitor cookie is set and sent with them (the normal tracker);
 * - `anonymous`: sent without a visitor token, nothing stored on the device;
 * - `hold`: kept in memory, not sent (the mode is not known yet, or consent is still pending);
 * - `nothing`: neither sent nor kept.
 */
export type Sending = 'identified' | 'anonymous' | 'hold' | 'nothing';

export interface ConsentInputs {
  /** Undefined until the tracker config arrived. */
  mode: ConsentMode | undefined;
  decision: ConsentDecision;
  /** Global Privacy Control, or Do Not Track when the portal respects it: a refusal. */
  refusalSignal: boolean;
}

/** The one rule of what may be stored and sent; see docs/privacy.md for the table. */
export function sendingPolicy({ mode, decision, refusalSignal }: ConsentInputs): Sending {
  if (mode === undefined) return 'hold';
  const refused = refusalSignal || decision === 'denied';
  if (refused) return mode === 'cookieless' ? 'anonymous' : 'nothing';
  if (decision === 'granted' || mode === 'none') return 'identified';
  return mode === 'cookieless' ? 'anonymous' : 'hold';
}

interface PrivacyNavigator {
  globalPrivacyControl?: boolean;
  doNotTrack?: string | null;
}

/** Whether the browser asks not to be tracked: GPC always, Do Not Track when the portal opts in. */
export function refusalSignal(win: Window, respectDoNotTrack: boolean): boolean {
  const nav = win.navigator as Navigator & PrivacyNavigator;
  if (nav.globalPrivacyControl === true) return true;
  if (!respectDoNotTrack) return false;
  const dnt = nav.doNotTrack ?? (win as Window & { doNotTrack?: string }).doNotTrack;
  return dnt === '1' || dnt === 'yes';
}

const CONSENT_COOKIE = 'clicktrail_consent';
const THIRTEEN_MONTHS_S = 60 * 60 * 24 * 395;

/** The choice persisted by an earlier page, if any. */
export function readDecision(doc: Document): ConsentDecision {
  const match = /(?:^|;\s*)clicktrail_consent=(granted|denied)(?:;|$)/.exec(doc.cookie);
  return match?.[1] as ConsentDecision;
}

/**
 * Persists the choice where storing it is allowed: consent (it is what allows storage), and a
 * refusal only in mode `none` (where the tracker may store, and an opt-out must stick). Otherwise
 * the consent cookie is removed: a refusal in `required`/`cookieless` is the default anyway.
 */
export function persistDecision(doc: Document, decision: ConsentDecision, mode: ConsentMode): void {
  if (decision === 'granted' || (decision === 'denied' && mode === 'none')) {
    doc.cookie = `${CONSENT_COOKIE}=${decision}; max-age=${THIRTEEN_MONTHS_S}; path=/; SameSite=Lax`;
  } else {
    forgetDecision(doc);
  }
}

export function forgetDecision(doc: Document): void {
  if (readDecision(doc) !== undefined)
    doc.cookie = `${CONSENT_COOKIE}=; max-age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; SameSite=Lax`;
}

/**
 * Holds the inputs of the policy and calls `apply` whenever the resulting `Sending` may have
 * changed: when the config arrives (`configure`) and when the site reports a choice (`decide`).
 */
export class ConsentState {
  #mode: ConsentMode | undefined;
  #respectDoNotTrack = false;
  #decision: ConsentDecision;
  readonly #win: Window;
  readonly #apply: (sending: Sending, revoked: boolean) => void;

  constructor(win: Window, apply: (sending: Sending, revoked: boolean) => void) {
    this.#win = win;
    this.#apply = apply;
    this.#decision = readDecision(win.document);
  }

  get sending(): Sending {
    return sendingPolicy({
      mode: this.#mode,
      decision: this.#decision,
      refusalSignal: refusalSignal(this.#win, this.#respectDoNotTrack),
    });
  }

  /** The portal's settings, from the tracker config. */
  configure(privacy: TrackerPrivacy): void {
    this.#mode = privacy.consentMode;
    this.#respectDoNotTrack = privacy.respectDoNotTrack;
    this.#persist();
    this.#apply(this.sending, false);
  }

  /** The visitor's choice, from `clicktrail.consent({ analytics })`. */
  decide(analytics: boolean): void {
    this.#decision = analytics ? 'granted' : 'denied';
    if (!analytics) forgetDecision(this.#win.document);
    this.#persist();
    this.#apply(this.sending, !analytics);
  }

  #persist(): void {
    const mode = this.#mode;
    if (mode === undefined) return; // known once the config arrived; decide() already forgot a refusal
    // A browser signal overrides the site's consent: nothing is stored for it.
    const signal = refusalSignal(this.#win, this.#respectDoNotTrack);
    if (signal) forgetDecision(this.#win.document);
    else persistDecision(this.#win.document, this.#decision, mode);
  }
}
