import type { CollectEvent } from '../shared/collect';
import { report } from './safe';

/** Most completions kept on the device, and most characters of their JSON: the newest are kept. */
export const OFFLINE_MAX_EVENTS = 200;
export const OFFLINE_MAX_CHARS = 100_000;

/**
 * Completions that could not be delivered yet (offline, server errors, the page left while a
 * request was in flight), kept in the site's `localStorage` under one namespaced key until the
 * server acknowledged them. Used only while the consent policy allows storing on the device.
 * Never throws: storage that is full, blocked (Safari private mode, sandboxed frames) or disabled
 * only means that what is unsent lives as long as the page.
 */
export interface OfflineStore {
  /** What earlier pages (or this one) left unsent, oldest first. */
  load(): CollectEvent[];
  /** Adds completions (by uuid, once), keeping the newest within the bounds. */
  add(events: readonly CollectEvent[]): void;
  /** Forgets the completions the server acknowledged. */
  remove(events: readonly CollectEvent[]): void;
  /** Forgets everything (consent refused or revoked). */
  clear(): void;
}

/** The store under `key` in `win.localStorage`. Reads and writes nothing until first used. */
export function offlineStore(win: Window, key: string): OfflineStore {
  // Set once this page wrote or found something: acknowledgements then touch storage, otherwise not.
  let used = false;
  const storage = (): Storage | null => {
    try {
      return win.localStorage;
    } catch {
      return null; // a sandboxed frame or disabled storage throws on access
    }
  };
  const read = (): CollectEvent[] => {
    try {
      const parsed = JSON.parse(storage()?.getItem(key) ?? '[]') as unknown;
      return Array.isArray(parsed)
        ? (parsed as CollectEvent[]).filter(
            (event) => typeof event?.uuid === 'string' && typeof event.eventName === 'string',
          )
        : [];
    } catch {
      return [];
    }
  };
  const write = (events: CollectEvent[]) => {
    try {
      const kept = events.slice(-OFFLINE_MAX_EVENTS);
      let json = JSON.stringify(kept);
      while (json.length > OFFLINE_MAX_CHARS && kept.length > 0) {
        kept.splice(0, Math.ceil(kept.length / 4));
        json = JSON.stringify(kept);
      }
      if (kept.length === 0) storage()?.removeItem(key);
      else storage()?.setItem(key, json);
    } catch (error) {
      report(error); // quota exceeded: the completions stay in memory only
    }
  };
  return {
    load() {
      const events = read();
      used ||= events.length > 0;
      return events;
    },
    add(events) {
      if (events.length === 0) return;
      used = true;
      const stored = read();
      const known = new Set(stored.map((event) => event.uuid));
      write(stored.concat(events.filter((event) => !known.has(event.uuid))));
    },
    remove(events) {
      if (!used || events.length === 0) return;
      const done = new Set(events.map((event) => event.uuid));
      write(read().filter((event) => !done.has(event.uuid)));
    },
    clear() {
      try {
        if (storage()?.getItem(key) !== null) storage()?.removeItem(key);
      } catch (error) {
        report(error);
      }
    },
  };
}
