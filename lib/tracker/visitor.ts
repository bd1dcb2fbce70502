const COOKIE = 'clicktrail_utk';
const THIRTEEN_MONTHS_S = 60 * 60 * 24 * 395;
/** Two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => (byte + 256).toString(16).slice(1));
let pool = new Uint8Array(0);
let poolAt = 0;

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.
 * Used for visitor tokens and event uuids; ids made later sort later, so the server's unique
 * index on uuids grows at its end instead of at random places (see bench/results/ingest.md).
 * Hand-written rather than a library: the tracker bundle carries no dependency.
 */
export function randomId(): string {
  // Random bytes are drawn 16 ids at a time: one `getRandomValues` call per id cost more than the
  // rest of the id. Each byte is used once.
  if (poolAt + 10 > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(160));
    poolAt = 0;
  }
  const r = pool.subarray(poolAt, (poolAt += 10));
  const time = Date.now().toString(16).padStart(12, '0').slice(-12);
  const hex = (from: number, to: number) => {
    let out = '';
    for (let i = from; i < to; i++) out += HEX[r[i]!];
    return out;
  };
  return `${time.slice(0, 8)}-${time.slice(8)}-${HEX[0x70 | (r[0]! & 0x0f)]}${HEX[r[1]!]}-${HEX[0x80 | (r[2]! & 0x3f)]}${HEX[r[3]!]}-${hex(4, 10)}`;
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
