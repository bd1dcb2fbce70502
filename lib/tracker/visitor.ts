const COOKIE = 'clicktrail_utk';
const THIRTEEN_MONTHS_S = 60 * 60 * 24 * 395;

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.
 * Used for visitor tokens and event uuids; ids made later sort later, so the server's unique
 * index on uuids grows at its end instead of at random places (see bench/results/ingest.md).
 * Hand-written rather than a library: the tracker bundle carries no dependency.
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = Date.now();
  for (let index = 5; index >= 0; index--) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The visitor's id (HubSpot's `utk`), kept in a first-party cookie of the site for 13 months so
 * repeat visits resolve to the same contact. Without cookies it lives for the page only. Called
 * only when the consent policy allows storing it (`lib/tracker/consent.ts`).
 */
export function visitorId(doc: Document): string {
  const match = /(?:^|;\s*)clicktrail_utk=([A-Za-z0-9_-]{16,64})/.exec(doc.cookie);
  if (match?.[1]) return match[1];
  const id = randomId();
  doc.cookie = `${COOKIE}=${id}; max-age=${THIRTEEN_MONTHS_S}; path=/; SameSite=Lax`;
  return id;
}

/** Deletes the visitor cookie (consent refused or revoked); writes nothing when there is none. */
export function forgetVisitor(doc: Document): void {
  if (/(?:^|;\s*)clicktrail_utk=/.test(doc.cookie))
    doc.cookie = `${COOKIE}=; max-age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; SameSite=Lax`;
}
