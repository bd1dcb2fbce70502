import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { AppEnv } from './context';
import { zodIssuesToDetails, type ApiError, type ErrorCategory, type ErrorDetail } from '../../lib/shared';

/** An error answered as the API's JSON error body with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly category: ErrorCategory,
    message: string,
    readonly errors: ErrorDetail[] = [],
  ) {
    super(message);
  }

  static validation(message: string, errors: ErrorDetail[]): HttpError {
    return new HttpError(400, 'VALIDATION_ERROR', message, errors);
  }

  static fromZod(error: z.ZodError, what: string): HttpError {
    const details = zodIssuesToDetails(error.issues);
    const first = details[0];
    const summary = first ? `${first.in && first.in !== 'body' ? `${first.in}: ` : ''}${first.message}` : 'invalid';
    return HttpError.validation(`Invalid ${what}: ${summary}`, details);
  }

  static notFound(message: string): HttpError {
    return new HttpError(404, 'OBJECT_NOT_FOUND', message);
  }
}

export function errorBody(c: Context<AppEnv>, error: HttpError): ApiError {
  return {
    status: 'error',
    category: error.category,
    message: error.message,
    correlationId: c.get('correlationId'),
    errors: error.errors,
  };
}
