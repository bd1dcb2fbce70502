import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localizeApiError, zodIssueMessage, zodProblems } from '../../../lib/i18n/error-messages';
import { staticI18n, type MessagesJson } from '../../../lib/i18n/static-messages';
import { workflowCreateSchema } from '../../../lib/shared';
import { localeMessages } from '../support/locale-messages';

// The unit project's setup answers browser.i18n in English; these tests switch it to Swedish and back.
const chrome = (globalThis as unknown as { chrome: { i18n: unknown } }).chrome;
const english = chrome.i18n;
let sv: MessagesJson;
const inSwedish = () => {
  chrome.i18n = staticI18n(sv, 'sv-SE');
};
beforeAll(async () => {
  sv = await localeMessages('sv');
});
afterEach(() => {
  chrome.i18n = english;
});

const issueOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a problem');
  return result.error.issues[0]!;
};

describe('zodIssueMessage', () => {
  it.each([
    ['an empty required text', z.string().min(1), '', 'Fill this in.', 'Fyll i det här.'],
    ['a text under its minimum', z.string().min(3), 'ab', 'Use at least 3 characters.', 'Använd minst 3 tecken.'],
    [
      'a text over its maximum',
      z.string().max(50),
      'x'.repeat(51),
      'Use at most 50 characters.',
      'Använd högst 50 tecken.',
    ],
    ['an empty list', z.array(z.string()).min(1), [], 'Add at least one.', 'Lägg till minst en.'],
    ['a long list', z.array(z.number()).max(2), [1, 2, 3], 'At most 2 are allowed.', 'Högst 2 är tillåtna.'],
    ['a small number', z.number().min(1000), 5, 'Enter 1,000 or more.', 'Ange 1\u00a0000 eller mer.'],
    ['a big number', z.number().lt(10), 10, 'Enter less than 10.', 'Ange mindre än 10.'],
    [
      'a wrong type',
      z.number(),
      'five',
      'Missing, or not the right kind of value.',
      'Saknas, eller är inte rätt sorts värde.',
    ],
    ['an unknown option', z.enum(['day', 'week']), 'year', 'Choose one of: day, week.', 'Välj något av: day, week.'],
    [
      'a bad URL',
      z.url(),
      'nope',
      'Enter a full URL, e.g. https://example.com/hook.',
      'Ange en fullständig URL, t.ex. https://example.com/hook.',
    ],
    [
      'a pattern',
      z.string().regex(/^a/),
      'b',
      'This is not in the expected form.',
      'Det här har inte den form som förväntas.',
    ],
    ['an unknown key', z.strictObject({}), { extra: 1 }, 'Unknown fields: extra.', 'Okända fält: extra.'],
  ])('writes %s from its code and bounds, in English and Swedish', (_case, schema, value, englishText, swedishText) => {
    expect(zodIssueMessage(issueOf(schema, value))).toBe(englishText);
    inSwedish();
    expect(zodIssueMessage(issueOf(schema, value))).toBe(swedishText);
  });

  it("keeps a schema's own custom rule as the schema wrote it", () => {
    const schema = z.string().refine((text) => text !== 'x', 'x is reserved');
    expect(zodIssueMessage(issueOf(schema, 'x'))).toBe('x is reserved');
  });
});

describe('zodProblems', () => {
  it('lists the problems of a workflow draft by field, translated, with their codes', () => {
    inSwedish();
    const result = workflowCreateSchema.safeParse({ name: '', reenrollment: false, triggers: [], steps: [] });
    expect(result.success).toBe(false);
    const problems = zodProblems(result.error!.issues);
    expect(problems).toContainEqual({ message: 'Fyll i det här.', in: 'name', code: 'too_small' });
    expect(problems.every((problem) => !/[Tt]oo small|expected/.test(problem.message))).toBe(true);
  });
});

describe('localizeApiError', () => {
  const refused = {
    category: 'VALIDATION_ERROR' as const,
    message: 'Invalid mapping: mapping.0: the file has no column "Mail"; its columns are "Email"',
    errors: [
      { message: 'the file has no column "Mail"; its columns are "Email"', in: 'mapping.0', code: 'unknown_column' },
      { message: 'column "Email" is mapped twice', in: 'mapping.1', code: 'duplicate' },
      { message: '"signup" is already used; import into it or choose another name', in: 'name', code: 'duplicate' },
    ],
  };

  it('leads with the category, translates the field problems it has words for and keeps the others', () => {
    expect(localizeApiError(refused)).toEqual({
      message: 'The server did not accept this:',
      fields: [
        refused.errors[0],
        { message: 'This is already used; choose another.', in: 'mapping.1', code: 'duplicate' },
        {
          message: 'This internal name is already used by another event; choose another.',
          in: 'name',
          code: 'duplicate',
        },
      ],
    });
    inSwedish();
    expect(localizeApiError(refused)).toEqual({
      message: 'Servern godtog inte det här:',
      fields: [
        refused.errors[0],
        { message: 'Det här används redan; välj något annat.', in: 'mapping.1', code: 'duplicate' },
        {
          message: 'Det interna namnet används redan av en annan händelse; välj ett annat.',
          in: 'name',
          code: 'duplicate',
        },
      ],
    });
  });

  it("keeps the server's message as the detail of an error without field problems", () => {
    inSwedish();
    expect(
      localizeApiError({ category: 'OBJECT_NOT_FOUND', message: 'No workflow with the id 7.', errors: [] }),
    ).toEqual({
      message: 'Servern har inte det här längre (det kan ha tagits bort någon annanstans):',
      fields: [{ message: 'No workflow with the id 7.' }],
    });
  });
});
