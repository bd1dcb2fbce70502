const COOKIE = 'clicktrail_utk';
const THIRTEEN_MONTHS_S = 60 * 60 * 24 * 395;

/** A random URL-safe id, 22 characters (132 bits). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 22);
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
