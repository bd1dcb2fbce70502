/**
 * Error messages in the user's language for the two sources that write English: the shared zod
 * schemas (checked in a form before anything is sent) and the server's API errors. Both keep their
 * machine-readable parts (`code`, `in`) so callers can still branch on them (a stale version).
 */
import type { z } from 'zod';
import type { ApiError, ErrorCategory, ErrorDetail } from '../shared';
import { formatNumber, t, tp, type PlainKey } from './index';

type Issue = z.core.$ZodIssue;

const NUMBER_ORIGINS = new Set(['number', 'int', 'bigint']);
const LIST_ORIGINS = new Set(['array', 'set', 'map']);

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'string') return min <= 1 ? t('zodErrors.required') : tp('zodErrors.minLength', min);
  if (LIST_ORIGINS.has(issue.origin)) return tp('zodErrors.minItems', min);
  if (NUMBER_ORIGINS.has(issue.origin)) {
    return t(issue.inclusive ? 'zodErrors.minNumber' : 'zodErrors.aboveNumber', { min: formatNumber(min) });
  }
  return t('zodErrors.invalid');
}

function tooBig(issue: Extract<Issue, { code: 'too_big' }>): string {
  const max = Number(issue.maximum);
  if (issue.origin === 'string') return tp('zodErrors.maxLength', max);
  if (LIST_ORIGINS.has(issue.origin)) return tp('zodErrors.maxItems', max);
  if (NUMBER_ORIGINS.has(issue.origin)) {
    return t(issue.inclusive ? 'zodErrors.maxNumber' : 'zodErrors.belowNumber', { max: formatNumber(max) });
  }
  return t('zodErrors.invalid');
}

const FORMATS: Partial<Record<string, PlainKey>> = {
  url: 'zodErrors.url',
  email: 'zodErrors.email',
  datetime: 'zodErrors.datetime',
  date: 'zodErrors.date',
  regex: 'zodErrors.pattern',
};

/**
 * One zod issue as a sentence in the user's language, from its code and bounds ("Use at most 50
 * characters."). A schema's own `custom` rule has no generic wording: its (English) message stays.
 */
export function zodIssueMessage(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_type':
      return t('zodErrors.invalidType');
    case 'invalid_value':
      return t('zodErrors.oneOf', { values: issue.values.map(String).join(', ') });
    case 'invalid_format': {
      const key = FORMATS[issue.format];
      return key ? t(key) : t('zodErrors.invalid');
    }
    case 'unrecognized_keys':
      return t('zodErrors.unknownKeys', { keys: issue.keys.join(', ') });
    case 'not_multiple_of':
      return t('zodErrors.multipleOf', { divisor: formatNumber(Number(issue.divisor)) });
    case 'custom':
      return issue.message;
    default:
      return t('zodErrors.invalid');
  }
}

/** A form's zod issues as the field problems `ErrorMessage` lists, translated (see `zodIssueMessage`). */
export function zodProblems(issues: readonly Issue[]): ErrorDetail[] {
  return issues.map((issue) => ({
    message: zodIssueMessage(issue),
    in: issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
    code: issue.code,
  }));
}

/** What the user reads first for each API error category (the details follow as a list). */
const CATEGORY: Record<ErrorCategory, PlainKey> = {
  VALIDATION_ERROR: 'apiErrors.category.validation',
  INVALID_AUTHENTICATION: 'errors.unauthorized',
  FORBIDDEN: 'apiErrors.category.forbidden',
  OBJECT_NOT_FOUND: 'apiErrors.category.notFound',
  CONFLICT: 'apiErrors.category.conflict',
  PAYLOAD_TOO_LARGE: 'apiErrors.category.tooLarge',
  RATE_LIMITS: 'apiErrors.category.rateLimits',
  INTERNAL_ERROR: 'apiErrors.category.internal',
};

/**
 * Field problem codes of the server whose meaning is complete without the values the server put
 * in its English text (the field itself is shown next to it); `code@field` where the field makes
 * it more specific. Codes whose message names bounds, options or columns the user needs (too_big,
 * unknown_column, invalid_option, …) keep the server's words.
 */
const DETAIL: Partial<Record<string, PlainKey>> = {
  'duplicate@name': 'apiErrors.detail.nameTaken',
  duplicate: 'apiErrors.detail.duplicate',
  stale_version: 'apiErrors.detail.staleVersion',
  archived_event: 'apiErrors.detail.archivedEvent',
  unknown_event: 'apiErrors.detail.unknownEvent',
  unknown_property: 'apiErrors.detail.unknownProperty',
  invalid_origin: 'apiErrors.detail.invalidOrigin',
  no_webhook: 'apiErrors.detail.noWebhook',
  not_failed: 'apiErrors.detail.notFailed',
  already_started: 'apiErrors.detail.alreadyStarted',
  file_type: 'apiErrors.detail.fileType',
  immutable: 'apiErrors.detail.immutable',
  not_contact_event: 'apiErrors.detail.notContactEvent',
  name_required: 'apiErrors.detail.nameRequired',
  invalid_json: 'apiErrors.detail.invalidJson',
  invalid_type: 'zodErrors.invalidType',
};

/**
 * An API error body in the user's language: a sentence for its category first, then its field
 * problems — translated where the code has a message here, else as the server wrote them. Nothing
 * the server said is lost: an error without field problems keeps the server's message as its one
 * detail.
 */
export function localizeApiError(error: Pick<ApiError, 'category' | 'message' | 'errors'>): {
  message: string;
  fields: ErrorDetail[];
} {
  const fields =
    error.errors.length > 0
      ? error.errors.map((detail) => {
          const key = detail.code ? (DETAIL[`${detail.code}@${detail.in}`] ?? DETAIL[detail.code]) : undefined;
          return key ? { ...detail, message: t(key) } : detail;
        })
      : [{ message: error.message }];
  return { message: t(CATEGORY[error.category]), fields };
}
