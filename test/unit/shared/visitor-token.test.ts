import { describe, expect, it } from 'vitest';
import { collectBodySchema, completionInputSchema, isVisitorToken } from '../../../lib/shared';

describe('isVisitorToken', () => {
  it.each([
    ['HubSpot hubspotutk (32 hex digits)', '5f8a8f1f4c2b4a9d8e7f6a5b4c3d2e1f', true],
    ['a UUID as the tracker makes it', '018f3a4e-7b2c-7d3e-9f1a-2b3c4d5e6f70', true],
    ['16 URL-safe characters', 'abcdefgh_-.12345', true],
    ['128 characters', 'a'.repeat(128), true],
    ['15 characters (guessable, not random)', 'a'.repeat(15), false],
    ['129 characters', 'a'.repeat(129), false],
    ['a space', 'visitor token 0123456789', false],
    ['a slash', 'visitor/0123456789abcdef', false],
  ])('%s → %s', (_label, token, expected) => {
    expect(isVisitorToken(token)).toBe(expected);
  });

  it('is the rule of both the HTTP API and the tracker endpoint', () => {
    for (const token of ['a'.repeat(15), 'a'.repeat(16)]) {
      const api = completionInputSchema.safeParse({ eventName: 'pe1_signup', utk: token }).success;
      const tracker = collectBodySchema.safeParse({ utk: token, events: [{}] }).success;
      expect([api, tracker]).toEqual([isVisitorToken(token), isVisitorToken(token)]);
    }
  });
});
