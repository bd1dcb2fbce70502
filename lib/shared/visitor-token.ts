import { z } from 'zod';

/**
 * The visitor token (HubSpot's `utk`), the one rule for every place that takes one: the HTTP API's
 * `utk`, the tracker's collect requests and the cookie the tracker keeps. HubSpot's own tokens are
 * 32 hex digits and Clicktrail's tracker makes UUIDs (36 characters); anything shorter than 16
 * characters is not a random token and would let two visitors share one contact by accident.
 */
export const VISITOR_TOKEN_PATTERN = /^[A-Za-z0-9._-]{16,128}$/;

export const VISITOR_TOKEN_RULE = 'utk must be 16 to 128 letters, digits, ".", "_" or "-"';

export const visitorTokenSchema = z.string().regex(VISITOR_TOKEN_PATTERN, VISITOR_TOKEN_RULE);

/** Whether a value is a well-formed visitor token. */
export function isVisitorToken(value: string): boolean {
  return VISITOR_TOKEN_PATTERN.test(value);
}

/** The tracker's first-party cookie holding the visitor token on the customer's site. */
export const VISITOR_COOKIE = 'clicktrail_utk';

/** The visitor token in a `document.cookie` string, or null when the tracker set none. */
export function visitorTokenFromCookies(cookies: string): string | null {
  for (const pair of cookies.split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === VISITOR_COOKIE && value && isVisitorToken(value)) return value;
  }
  return null;
}
