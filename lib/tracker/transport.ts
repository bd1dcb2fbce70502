import type { CollectBody, CollectEvent } from '../shared/collect';
import type { Sending } from './consent';
import { report } from './safe';

const FLUSH_DELAY_MS = 1000;
const MAX_QUEUE = 500;
const MAX_PER_REQUEST = 100;

/**
 * Batches completions and sends them to `/t/{portalId}/collect` as text/plain JSON (a "simple"
 * request: no CORS preflight). Uses `sendBeacon` when the page is going away so the last clicks
 * (often on links that navigate) still arrive. What it sends, and whether, follows the consent
 * policy (`setSending`): completions wait in memory until the policy is known.
 */
export class Transport {
  private queue: CollectEvent[] = [];
  private readonly retried = new WeakSet<CollectEvent>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Sending = 'hold';
  private utk: string | undefined;
  email: string | undefined;

  constructor(
    private readonly endpoint: string,
    private readonly win: Window,
  ) {
    const leave = () => this.flush(true);
    win.addEventListener('pagehide', leave);
    win.document.addEventListener('visibilitychange', () => {
      if (win.document.visibilityState === 'hidden') leave();
    });
  }

  /**
   * Applies the consent policy: `identified` sends with the visitor token `utk`, `anonymous`
   * without a token or email, `hold` keeps completions in memory, `nothing` drops them all.
   */
  setSending(sending: Sending, utk?: string): void {
    this.sending = sending;
    this.utk = sending === 'identified' ? utk : undefined;
    if (sending === 'nothing') this.clear();
    else if (sending !== 'hold' && this.queue.length > 0) this.timer ??= setTimeout(() => this.flush(false), 0);
  }

  /** Forgets every completion not sent yet (consent revoked). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  enqueue(event: CollectEvent, urgent = false): void {
    if (this.sending === 'nothing') return;
    if (this.queue.length >= MAX_QUEUE) this.queue.shift();
    this.queue.push(event);
    if (this.sending === 'hold') return;
    if (urgent) this.flush(true);
    else this.timer ??= setTimeout(() => this.flush(false), FLUSH_DELAY_MS);
  }

  flush(leaving: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending === 'hold' || this.sending === 'nothing') return;
    while (this.queue.length > 0) {
      const events = this.queue.splice(0, MAX_PER_REQUEST);
      // Anonymous completions carry no token and no email: nothing that identifies the visitor.
      const identity = this.utk ? { utk: this.utk, ...(this.email ? { email: this.email } : {}) } : {};
      const body: CollectBody = { ...identity, events };
      const payload = JSON.stringify(body);
      const nav = this.win.navigator;
      if (leaving && typeof nav.sendBeacon === 'function' && nav.sendBeacon(this.endpoint, payload)) continue;
      this.win
        .fetch(this.endpoint, { method: 'POST', body: payload, keepalive: true, credentials: 'omit' })
        .then((response) => {
          // 4xx means the server will never take these (e.g. origin not allowed); do not retry.
          if (response.status >= 500 || response.status === 429) this.requeue(events);
        })
        .catch((error: unknown) => {
          report(error);
          this.requeue(events);
        });
    }
  }

  /** One more try a little later; uuids make the retry safe if the first did arrive. */
  private requeue(events: CollectEvent[]): void {
    if (this.sending === 'nothing') return; // refused or revoked since: not even a retry
    const fresh = events.filter((event) => !this.retried.has(event));
    for (const event of fresh) this.retried.add(event);
    if (fresh.length === 0) return;
    this.queue.unshift(...fresh.slice(0, MAX_QUEUE - this.queue.length));
    this.timer ??= setTimeout(() => this.flush(false), FLUSH_DELAY_MS * 5);
  }
}
