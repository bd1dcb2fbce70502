import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { parseHttpUrl } from '../../lib/shared';

/** Where webhooks may go. The default is public https only; self-hosted teams opt into the rest. */
export interface WebhookPolicy {
  /** `CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE=1`: http URLs and private-network addresses too. */
  allowPrivateNetwork: boolean;
}

export const ALLOW_PRIVATE_HINT = 'set CLICKTRAIL_WEBHOOKS_ALLOW_PRIVATE=1 on the server to allow it';

/** Whether an IP address is anything but a public unicast address (loopback, private, link-local...). */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  return ipaddr.process(address).range() !== 'unicast';
}

/**
 * Why a URL is refused as a webhook target before any network traffic, or undefined when it may be
 * tried. Host names are checked when they are resolved (`guardedLookup`).
 */
export function urlProblem(value: string, policy: WebhookPolicy): string | undefined {
  const url = parseHttpUrl(value);
  if (!url) return 'url must be an absolute http(s) URL without user name or password';
  if (policy.allowPrivateNetwork) return undefined;
  if (url.protocol !== 'https:') return `url must use https (http is not allowed; ${ALLOW_PRIVATE_HINT})`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && isPrivateAddress(host)) {
    return `url points to the private-network address ${host} (${ALLOW_PRIVATE_HINT})`;
  }
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request that refuses private-network addresses: the check applies to the
 * address actually connected to, so a public name that resolves to an internal address (DNS
 * rebinding) is refused too.
 */
export function guardedLookup(policy: WebhookPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = policy.allowPrivateNetwork ? [] : addresses.filter((entry) => isPrivateAddress(entry.address));
      if (refused.length > 0) {
        const blocked = new Error(
          `${hostname} resolves to the private-network address ${refused[0]!.address} (${ALLOW_PRIVATE_HINT})`,
        ) as NodeJS.ErrnoException;
        blocked.code = 'EPRIVATEADDRESS';
        return callback(blocked, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
