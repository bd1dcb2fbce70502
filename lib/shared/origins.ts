import { z } from 'zod';

/**
 * Normalises a site origin as browsers send it in the `Origin` header: scheme, host and a
 * non-default port, lower-cased, no path. Returns undefined for anything that is not http(s).
 */
export function normaliseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export const originSchema = z
  .string()
  .max(300)
  .transform((value, ctx) => {
    const origin = normaliseOrigin(value);
    if (!origin) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not an http(s) origin such as https://shop.example.com` });
      return z.NEVER;
    }
    return origin;
  });
