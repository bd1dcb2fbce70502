import { z } from 'zod';

export const errorCategorySchema = z.enum([
  'VALIDATION_ERROR',
  'INVALID_AUTHENTICATION',
  'FORBIDDEN',
  'OBJECT_NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITS',
  'INTERNAL_ERROR',
]);
export type ErrorCategory = z.infer<typeof errorCategorySchema>;

export const errorDetailSchema = z.object({
  message: z.string(),
  /** Where the problem is: a dotted field path such as `propertyDefinitions.0.name`, or `body`/`header`. */
  in: z.string().optional(),
  code: z.string().optional(),
});
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

/** Error body of every failed API request (HubSpot's shape plus field-level `errors`). */
export const apiErrorSchema = z.object({
  status: z.literal('error'),
  category: errorCategorySchema,
  message: z.string(),
  correlationId: z.string(),
  errors: z.array(errorDetailSchema).default([]),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** Flattens zod issues into the `errors` list of an API error, one entry per field problem. */
export function zodIssuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((issue) => ({
    message: issue.message,
    in: issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
    code: issue.code,
  }));
}
