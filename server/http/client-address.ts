import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * How the server learns a client's address, for the tracker's rate limits: the TCP peer, or —
 * behind a load balancer or reverse proxy (`TRUST_PROXY`) — the header that proxy sets. Only the
 * proxy's own entry is read: for `X-Forwarded-For` that is the right-most address (the one the
 * proxy appended); the entries before it are whatever the client chose to send.
 */
export type ClientAddressSource = { kind: 'socket' } | { kind: 'header'; header: string };

const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;

/** Reads `TRUST_PROXY` (a header name, e.g. `X-Forwarded-For` or `X-Real-IP`); unset = the socket. */
export function clientAddressSourceFrom(value: string | undefined): ClientAddressSource {
  const header = value?.trim();
  if (!header) return { kind: 'socket' };
  if (!HEADER_NAME.test(header) || /^(true|false|1|0|yes|no)$/i.test(header)) {
    throw new Error(
      `TRUST_PROXY must name the header your load balancer sets to the client's address (e.g. X-Forwarded-For or X-Real-IP), got "${value}".`,
    );
  }
  return { kind: 'header', header: header.toLowerCase() };
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The client's address as the configured source tells it; the socket's when the header is missing. */
export function clientAddress(c: Context, source: ClientAddressSource): string {
  if (source.kind === 'socket') return socketAddress(c);
  const value = c.req.header(source.header);
  const entries = value
    ?.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries?.[entries.length - 1] ?? socketAddress(c);
}
