import { z } from 'zod';

/** Most error reports one request may carry (a page reports each snippet at most once). */
export const CUSTOM_CODE_ERRORS_MAX = 20;

/** One error an event's custom code threw on the site. */
export const customCodeErrorSchema = z.object({
  /** Fully qualified name of the event whose code threw, `pe{portalId}_{name}`. */
  eventName: z.string().min(1).max(100),
  /** The error's constructor name (TypeError, ReferenceError, ...); anything odd counts as "Error". */
  name: z.string().default('Error'),
  // Cut here rather than in the tracker (which stays small); the server keeps at most 256.
  message: z
    .string()
    .default('')
    .transform((message) => message.slice(0, 2000)),
  /** Page path where it threw (the tracker sends no query string or fragment). */
  path: z
    .string()
    .default('/')
    .transform((path) => path.slice(0, 2000)),
});
export type CustomCodeError = z.input<typeof customCodeErrorSchema>;

/** Body of `POST /t/{portalId}/errors`, sent as text/plain JSON like collect (no preflight). */
export const customCodeErrorsBodySchema = z.object({
  errors: z.array(customCodeErrorSchema).min(1).max(CUSTOM_CODE_ERRORS_MAX),
});
export type CustomCodeErrorsBody = z.input<typeof customCodeErrorsBodySchema>;

/** One change of an event's custom code (`GET .../custom-code/history`). */
export const customCodeChangeSchema = z.object({
  version: z.number().int(),
  code: z.string().nullable(),
  changedAt: z.string(),
  apiKey: z.object({ id: z.number().int(), prefix: z.string(), name: z.string() }).nullable(),
});
export type CustomCodeChange = z.infer<typeof customCodeChangeSchema>;
export const customCodeHistorySchema = z.object({ eventName: z.string(), results: z.array(customCodeChangeSchema) });

/** Errors an event's code threw, per UTC day, page path and error name (`GET .../custom-code/errors`). */
export const customCodeErrorSummarySchema = z.object({
  day: z.string(),
  path: z.string(),
  errorName: z.string(),
  count: z.number().int(),
  lastMessage: z.string(),
  lastAt: z.string(),
});
export type CustomCodeErrorSummary = z.infer<typeof customCodeErrorSummarySchema>;
export const customCodeErrorsSchema = z.object({
  eventName: z.string(),
  days: z.number().int(),
  results: z.array(customCodeErrorSummarySchema),
});
