import { useState } from 'react';
import { useDraftsStore } from './useDraftsStore';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A form's draft state and actions (what `useDraftForm` returns). */
export type DraftForm<T extends Record<string, unknown>> = ReturnType<typeof useDraftForm<T>>;

/**
 * A form's fields kept as a draft in extension storage while the user types. `current` is what the
 * server has now at `version`: when it differs from what the user started from (someone saved
 * meanwhile, seen on a 409 or on coming back to a draft), `conflicts` names the fields that
 * changed, so the form can show them and let the user keep theirs or take the other.
 */
export function useDraftForm<T extends Record<string, unknown>>(
  key: string,
  current: T,
  version: number | undefined,
  meta: { eventName?: string; what: string },
) {
  const stored = useDraftsStore((state) => state.drafts?.[key]);
  const save = useDraftsStore((state) => state.save);
  const discard = useDraftsStore((state) => state.discard);
  const [restored] = useState(() => Boolean(stored));
  // Until the user types, the form shows what the server has now (a reload or a re-pick shows through).
  const [edited, setFields] = useState<T | null>(() =>
    stored ? { ...current, ...(stored.fields as Partial<T>) } : null,
  );
  const fields = edited ?? current;
  const base = (stored?.base as T | undefined) ?? current;
  const baseVersion = stored?.baseVersion ?? version;
  const stale = version !== undefined && baseVersion !== undefined && baseVersion !== version;
  const conflicts = stale
    ? (Object.keys(current) as (keyof T & string)[]).filter((field) => !same(base[field], current[field]))
    : [];

  return {
    fields,
    /** The draft was there when the form opened (offered back from an earlier visit). */
    restored,
    conflicts,
    /** The fields as the user first saw them. */
    base,
    update: (next: T) => {
      setFields(next);
      save(key, { ...meta, baseVersion, base, fields: next });
    },
    /**
     * Keep mine: what the user changed applies over the server's current version, and what they
     * left alone takes the server's value (so an untouched field never overwrites someone else's
     * change). Returns the fields to save.
     */
    rebase: (): T => {
      const merged = Object.fromEntries(
        Object.keys(current).map((field) => [field, same(fields[field], base[field]) ? current[field] : fields[field]]),
      ) as T;
      setFields(merged);
      save(key, { ...meta, baseVersion: version, base: current, fields: merged });
      return merged;
    },
    /** Take the other: drop the draft and show the server's values. */
    takeTheirs: () => {
      discard(key);
      setFields(null);
    },
    discard: () => discard(key),
  };
}
