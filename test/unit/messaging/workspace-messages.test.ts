import { describe, expect, it } from 'vitest';
import { toBackground, toContent } from './echo-dispatch';
import type { ClickTrigger } from '../../../lib/shared';

const trigger: ClickTrigger = {
  kind: 'click',
  url: { match: 'path', value: '/pricing' },
  element: {
    mode: 'unique',
    selector: '#buy',
    quality: 'good',
    reasons: [],
    alternatives: [],
    fingerprint: { tag: 'button', classes: [], attributes: {}, ancestors: [] },
    path: [],
  },
};
const colour = { name: 'colour', label: 'Colour', type: 'enumeration', options: [{ label: 'Red', value: 'red' }] };

describe('events workspace messages', () => {
  it.each([
    [
      'definitions/property-add',
      'a property name with capitals',
      { name: 'buy', version: 1, property: { ...colour, name: 'Colour' } },
      'property.name',
    ],
    [
      'definitions/property-add',
      'an enumeration without options',
      { name: 'buy', version: 1, property: { ...colour, options: [] } },
      'property.options',
    ],
    ['definitions/property-add', 'no version', { name: 'buy', property: colour }, 'version'],
    [
      'definitions/property-add',
      'two options with one value',
      {
        name: 'buy',
        version: 1,
        property: {
          ...colour,
          options: [
            { label: 'A', value: 'a' },
            { label: 'B', value: 'a' },
          ],
        },
      },
      'property.options.1.value',
    ],
    [
      'definitions/property-update',
      'a new type',
      { name: 'buy', version: 1, property: 'colour', changes: { type: 'string' } },
      'changes',
    ],
    [
      'definitions/property-update',
      'a new internal name',
      { name: 'buy', version: 1, property: 'colour', changes: { name: 'hue' } },
      'changes',
    ],
    [
      'definitions/property-update',
      'an empty label',
      { name: 'buy', version: 1, property: 'colour', changes: { label: ' ' } },
      'changes.label',
    ],
    [
      'definitions/property-update',
      'an unknown field',
      { name: 'buy', version: 1, property: 'colour', changes: { required: true } },
      'changes',
    ],
    [
      'definitions/property-delete',
      'a property that is not a name',
      { name: 'buy', version: 1, property: '../x' },
      'property',
    ],
    ['origins/add', 'an origin that is not http(s)', { origin: 'ftp://shop.example.com' }, 'origin'],
    ['origins/add', 'no origin', {}, 'origin'],
    ['page/inspect', 'no tab', { triggers: [] }, 'tabId'],
    [
      'page/inspect',
      'a trigger that is not a click trigger',
      { tabId: 1, triggers: [{ name: 'buy', trigger: { kind: 'pageview', url: { match: 'any' } } }] },
      'triggers.0.trigger.kind',
    ],
    ['page/highlight', 'no trigger at all', { tabId: 1 }, 'trigger'],
    [
      'definitions/update',
      'a trigger with an unsafe regex',
      { name: 'buy', version: 1, changes: { trigger: { ...trigger, url: { match: 'regex', value: '(a+)+$' } } } },
      'changes.trigger.url.value',
    ],
  ])('%s refuses %s', async (type, _case, payload, field) => {
    const reply = await toBackground(type, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
  });

  it('normalises an origin to what browsers send', async () => {
    expect(await toBackground('origins/add', { origin: 'HTTPS://Shop.Example.com/cart' })).toEqual({
      ok: true,
      data: { echoed: { origin: 'https://shop.example.com' } },
    });
  });

  it('passes an option reorder and a hidden option on', async () => {
    const options = [
      { label: 'Blue', value: 'blue', displayOrder: 0, hidden: false },
      { label: 'Red', value: 'red', displayOrder: 1, hidden: true },
    ];
    const reply = await toBackground('definitions/property-update', {
      name: 'buy',
      version: 3,
      property: 'colour',
      changes: { options },
    });
    expect(reply).toEqual({
      ok: true,
      data: { echoed: { name: 'buy', version: 3, property: 'colour', changes: { options } } },
    });
  });

  it('lets the panel change a click trigger (another selector, URL rule, conditions)', async () => {
    expect(await toBackground('definitions/update', { name: 'buy', version: 2, changes: { trigger } })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['page/inspect', { triggers: [{ name: 'Buy', trigger }] }, 'triggers.0.name'],
    ['page/highlight', { trigger: { ...trigger, element: { selector: '' } } }, 'trigger.element.selector'],
  ])('content %s refuses a malformed payload', async (type, payload, field) => {
    const reply = await toContent(type, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
  });

  it('content page/highlight takes null to clear the outline', async () => {
    expect(await toContent('page/highlight', { trigger: null })).toEqual({
      ok: true,
      data: { echoed: { trigger: null } },
    });
  });
});
