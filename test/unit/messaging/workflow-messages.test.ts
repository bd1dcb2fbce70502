import { describe, expect, it } from 'vitest';
import { toBackground } from './echo-dispatch';

const send = toBackground;

describe('workflow messages', () => {
  it.each([
    ['workflows/list', 'a payload', { x: 1 }, 'payload'],
    ['workflows/create', 'no name', { triggers: [] }, 'name'],
    [
      'workflows/create',
      'a filter without its value',
      { name: 'w', triggers: [{ eventName: 'a', filters: [{ property: 'p', operator: 'gt' }] }] },
      'triggers.0.filters.0.value',
    ],
    ['workflows/create', 'a step of an unknown type', { name: 'w', steps: [{ type: 'sms' }] }, 'steps.0.type'],
    ['workflows/update', 'no version', { id: '1', changes: { enabled: true } }, 'version'],
    ['workflows/update', 'a version inside the changes', { id: '1', version: 1, changes: { version: 2 } }, 'changes'],
    ['workflows/update', 'an id that is not a number', { id: 'abc', version: 1, changes: {} }, 'id'],
    ['workflows/delete', 'no version', { id: '1' }, 'version'],
    ['workflows/test', 'an empty step id', { id: '1', stepId: '' }, 'stepId'],
    ['workflows/deliveries', 'no id', {}, 'id'],
    ['workflows/retry', 'a delivery id that is not a number', { id: '1', deliveryId: 'x' }, 'deliveryId'],
  ])('%s refuses %s', async (type, _case, payload, field) => {
    const reply = await send(type, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
  });

  it('passes a valid workflow on with its defaults', async () => {
    const reply = await send('workflows/create', {
      name: ' Welcome ',
      triggers: [{ eventName: 'signed_up' }],
      steps: [{ type: 'webhook', url: 'https://hooks.example.com/x' }],
    });
    expect(reply).toEqual({
      ok: true,
      data: {
        echoed: {
          name: 'Welcome',
          enabled: false,
          reenrollment: false,
          triggers: [{ eventName: 'signed_up', filters: [] }],
          steps: [{ type: 'webhook', url: 'https://hooks.example.com/x' }],
        },
      },
    });
  });
});
