import { describe, expect, it } from 'vitest';
import { analyticsRequestSchemas, backgroundRequestSchemas, dispatch, PROTOCOL_VERSION } from '../../../lib/messaging';

const echo = (payload: unknown) => payload;
const handlers = Object.fromEntries(
  Object.keys(backgroundRequestSchemas).map((type) => [type, echo]),
) as unknown as Parameters<typeof dispatch<typeof backgroundRequestSchemas, never>>[2];
const send = (type: string, payload?: unknown) =>
  dispatch(
    'background',
    backgroundRequestSchemas,
    handlers,
    { protocol: PROTOCOL_VERSION, target: 'background', type, payload },
    {},
  );

const range = { from: '2025-03-01', to: '2025-03-31', timeZone: 'Europe/Stockholm' };

describe('analytics and contact messages', () => {
  it('are all background messages', () => {
    for (const type of Object.keys(analyticsRequestSchemas)) expect(backgroundRequestSchemas).toHaveProperty(type);
  });

  it.each([
    ['analytics/series', { ...range, eventNames: ['signed_up'], interval: 'week', weekStart: 'sunday' }],
    ['analytics/breakdown', { ...range, eventName: 'signed_up', property: 'plan', limit: 10 }],
    ['analytics/funnel', { ...range, steps: ['a', 'b', 'c'], window: 'P7D' }],
    ['contacts/timeline', { contactId: '12', eventNames: ['paid'], after: 'abc', limit: 25 }],
  ])('passes a valid %s on', async (type, payload) => {
    expect(await send(type, payload)).toEqual({ ok: true, data: payload });
  });

  it('normalises the email of contacts/find', async () => {
    expect(await send('contacts/find', { email: ' Ada@Example.com ' })).toEqual({
      ok: true,
      data: { email: 'ada@example.com' },
    });
  });

  it.each([
    ['analytics/series', { ...range, eventNames: [], interval: 'day' }, 'eventNames'],
    [
      'analytics/series',
      { ...range, eventNames: Array.from({ length: 11 }, (_, n) => `e${n}`), interval: 'day' },
      'eventNames',
    ],
    ['analytics/series', { ...range, eventNames: ['a'], interval: 'hour' }, 'interval'],
    ['analytics/series', { ...range, from: '2025-02-30', eventNames: ['a'], interval: 'day' }, 'from'],
    ['analytics/series', { ...range, timeZone: 'Mars/Olympus', eventNames: ['a'], interval: 'day' }, 'timeZone'],
    ['analytics/breakdown', { ...range, eventName: 'a' }, 'property'],
    ['analytics/breakdown', { ...range, eventName: 'a', property: 'plan', limit: 0 }, 'limit'],
    ['analytics/funnel', { ...range, steps: ['a'], window: 'P7D' }, 'steps'],
    ['analytics/funnel', { ...range, steps: ['a', 'b', 'c', 'd', 'e', 'f'], window: 'P7D' }, 'steps'],
    ['analytics/funnel', { ...range, steps: ['a', 'b'], window: 'a week' }, 'window'],
    ['contacts/find', { email: 'not an email' }, 'email'],
    ['contacts/find', undefined, 'payload'],
    ['contacts/timeline', { contactId: '../admin' }, 'contactId'],
    ['contacts/timeline', { contactId: '1', limit: 1000 }, 'limit'],
  ])('refuses a %s payload with a wrong %s', async (type, payload, field) => {
    const reply = await send(type, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((detail) => detail.in).join(' ')).toContain(field);
  });
});
