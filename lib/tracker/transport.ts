import type { CollectBody, CollectEvent } from '../shared/collect';
import type { HealthReport } from '../shared/health';
import type { Sending } from './consent';
import type { OfflineStore } from './offline';
import { report } from './safe';

const FLUSH_DELAY_MS = 1000;
/** First retry after a failed send; doubled after each failure up to `MAX_RETRY_MS`. */
const RETRY_MS = 5000;
const MAX_RETRY_MS = 60_000;
const MAX_QUEUE = 500;
const MAX_PER_REQUEST = 100;

/**
 * Batches completions and sends them to `/t/{portalId}/collect` as text/plain JSON (a "simple"
 * request: no CORS preflight), with `keepalive` so a click on a link that navigates still
 * arrives; `sendBeacon` only when the page is going away. What it sends, and whether, follows the
 * consent policy (`setSending`): completions wait in memory until the policy is known.
 *
 * Delivery survives being offline and server errors: what fails (network error, 5xx, 429) is
 * retried with backoff and when the browser comes back `online`, and — when the policy allows
 * storing on the device — kept in the offline store together with whatever is unacknowledged when
 * the page goes away, so a later page load sends it. The server stores each uuid once, so a
 * completion sent twice (a lost response, a beacon whose fate is unknown) is stored once.
 */
export class Transport {
  #queue: CollectEvent[] = [];
  /** Sent by `fetch`, response not in yet. */
  readonly #inflight = new Set<CollectEvent[]>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retryMs = RETRY_MS;
  #sending: Sending = 'hold';
  #utk: string | undefined;
  /** A sampled page view's selector-health report, sent with the next request (never stored). */
  #health: HealthReport | undefined;
  email: string | undefined;

  readonly #endpoint: string;
  readonly #win: Window;
  readonly #store: OfflineStore | undefined;

  constructor(endpoint: string, win: Window, store?: OfflineStore) {
    this.#endpoint = endpoint;
    this.#win = win;
    this.#store = store;
    const leave = () => {
      this.#persist([...this.#queue, ...Array.from(this.#inflight).flat()]);
      this.flush(true);
    };
    win.addEventListener('pagehide', leave);
    win.document.addEventListener('visibilitychange', () => {
      if (win.document.visibilityState === 'hidden') leave();
    });
    win.addEventListener('online', () => this.flush(false));
  }

  /**
   * Applies the consent policy: `identified` sends with the visitor token `utk` (and takes over
   * what earlier pages left in the offline store), `anonymous` without a token or email and
   * without storing anything, `hold` keeps completions in memory, `nothing` drops them all.
   */
  setSending(sending: Sending, utk?: string): void {
    this.#sending = sending;
    this.#utk = sending === 'identified' ? utk : undefined;
    if (sending === 'nothing') this.clear();
    else if (sending === 'anonymous') this.#store?.clear();
    else if (sending === 'identified' && this.#store) {
      const known = new Set(this.#queue.map((event) => event.uuid));
      const stored = this.#store.load().filter((event) => !known.has(event.uuid));
      this.#queue.unshift(...stored.slice(-MAX_QUEUE));
    }
    if (sending !== 'hold' && (this.#queue.length > 0 || this.#health)) this.#schedule(0);
  }

  /** Forgets every completion not sent yet, here and in the offline store (consent revoked). */
  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#health = undefined;
    this.#store?.clear();
  }

  enqueue(event: CollectEvent, urgent = false): void {
    if (this.#sending === 'nothing') return;
    if (this.#queue.length >= MAX_QUEUE) this.#queue.shift();
    this.#queue.push(event);
    if (this.#sending === 'hold') return;
    if (urgent) {
      // Sent right after the click's handlers, not inside them: the click itself stays near free. A
      // click that navigates away is sent by `pagehide` (sendBeacon) if this has not run by then.
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.flush(false), 0);
    } else this.#schedule(FLUSH_DELAY_MS);
  }

  /** Sends a selector-health report with the next request (a newer one replaces an unsent one). */
  reportHealth(health: HealthReport): void {
    if (this.#sending === 'nothing') return;
    this.#health = health;
    if (this.#sending !== 'hold') this.#schedule(FLUSH_DELAY_MS);
  }

  flush(leaving: boolean): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#sending === 'hold' || this.#sending === 'nothing') return;
    // Offline: no request can succeed; keep what waits and go on when the browser is back online.
    if (!leaving && this.#win.navigator.onLine === false) {
      this.#persist(this.#queue);
      return;
    }
    while (this.#queue.length > 0 || this.#health) {
      const events = this.#queue.splice(0, MAX_PER_REQUEST);
      // Anonymous completions carry no token and no email: nothing that identifies the visitor.
      const identity = this.#utk ? { utk: this.#utk, ...(this.email ? { email: this.email } : {}) } : {};
      const body: CollectBody = { ...identity, events, ...(this.#health ? { health: this.#health } : {}) };
      this.#health = undefined;
      let payload: string;
      try {
        payload = JSON.stringify(body);
      } catch (error) {
        // A page that broke JSON.stringify (seen: polyfills redefining it): nothing can be sent.
        // The completions wait in the queue; nothing is thrown into the page from a timer.
        report(error);
        this.#queue.unshift(...events);
        return;
      }
      const nav = this.#win.navigator;
      if (leaving && typeof nav.sendBeacon === 'function' && nav.sendBeacon(this.#endpoint, payload)) continue;
      this.#inflight.add(events);
      this.#win
        .fetch(this.#endpoint, { method: 'POST', body: payload, keepalive: true, credentials: 'omit' })
        .then((response) => {
          this.#inflight.delete(events);
          // 4xx means the server will never take these (e.g. origin not allowed); do not retry.
          if (response.status >= 500 || response.status === 429) this.#failed(events);
          else {
            this.#retryMs = RETRY_MS;
            this.#store?.remove(events);
          }
        })
        .catch((error: unknown) => {
          this.#inflight.delete(events);
          report(error);
          this.#failed(events);
        });
    }
  }

  #schedule(delay: number): void {
    this.#timer ??= setTimeout(() => this.flush(false), delay);
  }

  /** Keeps the completions on the device when the consent policy allows storing there. */
  #persist(events: readonly CollectEvent[]): void {
    if (this.#sending === 'identified') this.#store?.add(events);
  }

  /** Back in the queue for a later try (with backoff), and kept on the device meanwhile. */
  #failed(events: CollectEvent[]): void {
    if (this.#sending === 'nothing' || events.length === 0) return; // refused or revoked since: not even a retry
    const known = new Set(this.#queue.map((event) => event.uuid));
    this.#queue.unshift(...events.filter((event) => !known.has(event.uuid)).slice(0, MAX_QUEUE - this.#queue.length));
    this.#persist(this.#queue);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(false), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
  }
}
