/**
 * Rules about the backend URL the user connects to, shared by the popup (which asks for the
 * origin's permission and warns) and the background (which refuses what the user did not confirm).
 */

/** Hosts on this computer: an API key sent there in clear text never crosses a network. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const CLEARTEXT_WARNING =
  'This server uses http://, so the API key would travel in clear text. Use https://, or confirm below.';

/** Whether `url` is plain http:// to a host other than this computer (the API key would be readable on the way). */
export function isCleartextRemote(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname);
}

/** The match pattern of one origin's pages, as `permissions.request({ origins })` takes it, e.g. `https://a.example/*`. */
export function originPattern(url: string): string {
  const { protocol, hostname } = new URL(url);
  // Match patterns have no port: `http://localhost/*` covers every port of localhost.
  return `${protocol}//${hostname}/*`;
}
