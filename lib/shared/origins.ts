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

/** Body of `POST /settings/v1/origins`: a site whose pages may load the tracker and send events. */
export const allowedOriginAddSchema = z.object({ origin: originSchema }).strict();
export type AllowedOriginAdd = z.input<typeof allowedOriginAddSchema>;

/** `GET /settings/v1/origins`: the portal's allowed site origins, sorted. */
export const allowedOriginsSchema = z.object({ results: z.array(z.string()) });
export type AllowedOrigins = z.infer<typeof allowedOriginsSchema>;

/** `POST /settings/v1/origins`: the origin as stored (normalised) and whether it was new. */
export const allowedOriginAddedSchema = z.object({ origin: z.string(), added: z.boolean() });
export type AllowedOriginAdded = z.infer<typeof allowedOriginAddedSchema>;
