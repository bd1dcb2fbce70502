import { describe, expect, it } from 'vitest';
import {
  backgroundRequestSchemas,
  dispatch,
  MAX_ACTIVITY_EVENTS,
  MessageError,
  PROTOCOL_VERSION,
} from '../../../lib/messaging';

const sender = {};
const handlers = {
  'connection/get': () => ({ connected: false }),
  'connection/connect': ({ baseUrl }: { baseUrl: string }) => ({ connected: true, baseUrl }),
  'connection/disconnect': () => ({ connected: false }),
  'definitions/list': () => [],
  'definitions/activity': ({ eventTypes }: { eventTypes: string[] }) =>
    Object.fromEntries(eventTypes.map((eventType) => [eventType, null])),
  'definitions/update': ({ name, version, changes }: { name: string; version: number; changes: object }) => ({
    name,
    version: version + 1,
    ...changes,
  }),
  'definitions/create': () => {
    throw new MessageError({ code: 'CONFLICT', message: 'taken', fields: [{ message: 'taken', in: 'name' }] });
  },
  'picker/start': () => {
    throw new Error('boom');
  },
  'custom-code/history': () => [],
  'custom-code/errors': () => [],
} as unknown as Parameters<typeof dispatch<typeof backgroundRequestSchemas, never>>[2];

const send = (type: string, payload?: unknown, protocol = PROTOCOL_VERSION) =>
  dispatch('background', backgroundRequestSchemas, handlers, { protocol, target: 'background', type, payload }, sender);

describe('dispatch', () => {
  it('runs the handler with the validated payload', async () => {
    expect(await send('connection/connect', { baseUrl: ' http://localhost:8787 ', apiKey: 'k' })).toEqual({
      ok: true,
      data: { connected: true, baseUrl: 'http://localhost:8787' },
    });
  });

  it.each([
    ['a missing API key', { baseUrl: 'http://localhost:8787', apiKey: '' }, 'apiKey'],
    ['a URL that is not http', { baseUrl: 'ftp://example.com', apiKey: 'k' }, 'baseUrl'],
    ['no payload at all', undefined, 'payload'],
  ])('refuses %s with a field error', async (_case, payload, field) => {
    const reply = await send('connection/connect', payload);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('INVALID_MESSAGE');
    expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
  });

  it.each([
    ['an empty label', { name: 'signup', version: 2, changes: { label: '  ' } }, 'changes.label'],
    ['no version', { name: 'signup', changes: { archived: true } }, 'version'],
    ['a change the side panel cannot make', { name: 'signup', version: 2, changes: { name: 'x' } }, 'changes'],
    [
      'custom code over 32 KB',
      { name: 'signup', version: 2, changes: { customCode: 'x'.repeat(33_000) } },
      'changes.customCode',
    ],
    [
      'a paused flag that is not a boolean',
      { name: 'signup', version: 2, changes: { paused: 'yes' } },
      'changes.paused',
    ],
  ])('refuses a definition update with %s', async (_case, payload, field) => {
    const reply = await send('definitions/update', payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
  });

  it('passes a valid definition update on, label trimmed', async () => {
    expect(await send('definitions/update', { name: 'signup', version: 2, changes: { label: ' Signed up ' } })).toEqual(
      {
        ok: true,
        data: { name: 'signup', version: 3, label: 'Signed up' },
      },
    );
  });

  it.each([
    ['custom-code/history', { name: 'Not A Name' }, 'name'],
    ['custom-code/errors', { name: 'signup', days: 0 }, 'days'],
    ['custom-code/errors', { name: 'signup', days: 91 }, 'days'],
    ['custom-code/errors', { name: 'signup' }, 'days'],
  ])('refuses %s with %j', async (type, payload, field) => {
    const reply = await send(type, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (!reply.ok) expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
    expect(await send(type, { name: 'signup', days: 7 })).toMatchObject({ ok: true, data: [] });
  });

  it('looks up the activity of at most MAX_ACTIVITY_EVENTS events per message', async () => {
    const names = (count: number) => Array.from({ length: count }, (_, index) => `pe1_event_${index}`);
    expect(await send('definitions/activity', { eventTypes: names(MAX_ACTIVITY_EVENTS) })).toMatchObject({ ok: true });
    expect(await send('definitions/activity', { eventTypes: names(MAX_ACTIVITY_EVENTS + 1) })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_MESSAGE' },
    });
  });

  it('refuses unknown message types and other protocol versions', async () => {
    expect(await send('definitions/delete-all')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_MESSAGE' } });
    expect(await send('connection/get', undefined, 99)).toMatchObject({
      ok: false,
      error: { code: 'PROTOCOL_MISMATCH' },
    });
  });

  it('passes a handler’s MessageError through with its fields', async () => {
    expect(await send('definitions/create', { label: 'x' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'taken', fields: [{ message: 'taken', in: 'name' }] },
    });
  });

  it('turns unexpected exceptions into an INTERNAL error reply instead of throwing', async () => {
    expect(await send('picker/start', { tabId: 1, mode: 'element' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });

  it.each([
    ['plain http:// to another computer', { baseUrl: 'http://crm.example.com', apiKey: 'k' }],
    ['the same, confirmation explicitly off', { baseUrl: 'http://10.0.0.5:8787', apiKey: 'k', allowCleartext: false }],
  ])('refuses %s unless the user confirmed it, naming the risk', async (_case, payload) => {
    const reply = await send('connection/connect', payload);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('INVALID_MESSAGE');
    expect(reply.error.message).toContain('clear text');
    expect(reply.error.fields?.map((detail) => detail.in)).toEqual(['baseUrl']);
  });

  it.each([
    ['confirmed http:// to another computer', { baseUrl: 'http://crm.example.com', apiKey: 'k', allowCleartext: true }],
    ['https:// anywhere', { baseUrl: 'https://crm.example.com', apiKey: 'k' }],
    ['http:// on this computer', { baseUrl: 'http://127.0.0.1:8787', apiKey: 'k' }],
  ])('accepts %s', async (_case, payload) => {
    expect((await send('connection/connect', payload)).ok).toBe(true);
  });
});

describe('dispatch with a sender check', () => {
  it('refuses a request its sender may not make, without running the handler, and logs why', async () => {
    let ran = false;
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const reply = await dispatch(
        'background',
        backgroundRequestSchemas,
        {
          ...handlers,
          'connection/disconnect': () => ((ran = true), { connected: false }),
        } as unknown as typeof handlers,
        { protocol: PROTOCOL_VERSION, target: 'background', type: 'connection/disconnect', payload: undefined },
        { id: 'x', url: 'https://shop.example/' },
        (type) => `a page's script may not send "${type}".`,
      );
      expect(reply).toEqual({
        ok: false,
        error: {
          code: 'FORBIDDEN_SENDER',
          message:
            'Clicktrail does not take this request from here: a page\'s script may not send "connection/disconnect".',
          fields: [],
        },
      });
    } finally {
      console.warn = warn;
    }
    expect(ran).toBe(false);
    expect(warnings).toEqual([
      'Clicktrail refused a "connection/disconnect" background request: a page\'s script may not send "connection/disconnect".',
    ]);
  });

  it('runs the handler when the check accepts the sender', async () => {
    const reply = await dispatch(
      'background',
      backgroundRequestSchemas,
      handlers,
      { protocol: PROTOCOL_VERSION, target: 'background', type: 'definitions/list', payload: undefined },
      sender,
      () => Promise.resolve(undefined),
    );
    expect(reply).toEqual({ ok: true, data: [] });
  });
});
