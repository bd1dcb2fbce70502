import type { Context } from 'hono';
import type { z } from 'zod';
import type { ErrorDetail } from '../../lib/shared';
import { HttpError } from './errors';

/**
 * The query string as an object for a zod schema: parameters named in `repeatable` are arrays
 * (`?step=a&step=b`), the others strings; a non-repeatable parameter given twice stays an array,
 * so the schema refuses it by name instead of one value being silently dropped.
 */
export function queryObject(c: Context, repeatable: readonly string[] = []): Record<string, string | string[]> {
  const all = c.req.queries();
  return Object.fromEntries(
    Object.entries(all).map(([name, values]) => [
      name,
      repeatable.includes(name) || values.length > 1 ? values : values[0]!,
    ]),
  );
}

/** Parses a query object; a 400 naming each wrong parameter (`query` for unknown ones) otherwise. */
export function parseQuery<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.map((issue) => ({
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown query parameter${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
        : issue.message,
    in: issue.path.length > 0 ? String(issue.path[0]) : issue.code === 'unrecognized_keys' ? issue.keys[0]! : 'query',
    code: issue.code,
  }));
  throw invalidQuery(details);
}

/** A 400 for query parameters, its message naming the first. */
export function invalidQuery(details: ErrorDetail[]): HttpError {
  const first = details[0]!;
  return HttpError.validation(`Invalid query: ${first.in}: ${first.message}`, details);
}
