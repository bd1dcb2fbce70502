import { describe, expect, it } from 'vitest';
import { fittingDateFormats, parseDateCell } from '../../server/imports/date-formats';
import { normaliseHeader, proposeMapping, propertyNameOf } from '../../server/imports/mapping';
import { detectDelimiter } from '../../server/imports/readers';
import type { ImportDateFormat } from '../../lib/shared';

describe('parseDateCell', () => {
  it.each<[string, ImportDateFormat, string | undefined]>([
    ['2024-03-01T14:30:00Z', 'iso', '2024-03-01T14:30:00.000Z'],
    ['2024-03-01 14:30', 'iso', '2024-03-01T14:30:00.000Z'],
    ['2024-03-01T14:30:00+01:00', 'iso', '2024-03-01T13:30:00.000Z'],
    ['1709303400000', 'iso', '2024-03-01T14:30:00.000Z'],
    ['45352.6041666667', 'excel-serial', '2024-03-01T14:30:00.000Z'],
    ['45352', 'excel-serial', '2024-03-01T00:00:00.000Z'],
    ['01/03/2024 14:30', 'd/M/yyyy H:mm', '2024-03-01T14:30:00.000Z'],
    ['1/3/2024', 'd/M/yyyy', '2024-03-01T00:00:00.000Z'],
    ['03/01/2024 2:30 PM', 'M/d/yyyy h:mm a', '2024-03-01T14:30:00.000Z'],
    ['01.03.2024 14:30:05', 'd.M.yyyy H:mm:ss', '2024-03-01T14:30:05.000Z'],
    ['2024/3/1', 'yyyy/M/d', '2024-03-01T00:00:00.000Z'],
    ['31/02/2024', 'd/M/yyyy', undefined],
    ['2024-02-30', 'iso', undefined],
    ['13/25/2024', 'M/d/yyyy', undefined],
    ['01/03/2024 extra', 'd/M/yyyy', undefined],
    ['not a date', 'excel-serial', undefined],
    ['', 'iso', undefined],
  ])('reads %j as %s → %s (UTC)', (text, format, expected) => {
    const time = parseDateCell(text, format);
    expect(time === undefined ? undefined : new Date(time).toISOString()).toBe(expected);
  });

  it('takes a spreadsheet date cell as it is, whatever the format', () => {
    const cell = new Date('2024-03-01T14:30:00Z');
    expect(parseDateCell(cell, 'd/M/yyyy')).toBe(cell.getTime());
  });
});

describe('fittingDateFormats', () => {
  it('offers only the formats that read every sample, with parsed examples', () => {
    const fits = fittingDateFormats(['01/03/2024 14:30', '13/03/2024 09:00', '']);
    expect(fits.map((fit) => fit.format)).toEqual(['d/M/yyyy H:mm']);
    expect(fits[0]!.examples).toEqual([
      { value: '01/03/2024 14:30', parsed: '2024-03-01T14:30:00.000Z' },
      { value: '13/03/2024 09:00', parsed: '2024-03-13T09:00:00.000Z' },
    ]);
  });

  it('leaves the choice to the user when day and month are ambiguous', () => {
    const fits = fittingDateFormats(['01/03/2024', '02/04/2024']).map((fit) => fit.format);
    expect(fits).toEqual(['d/M/yyyy', 'M/d/yyyy']);
  });
});

describe('proposeMapping', () => {
  const headers = ['E-post', 'Händelse vid', 'Plan', 'Belopp (SEK)'];
  const samples = [['a@example.com'], ['2024-01-01'], ['pro'], ['12']];

  it('recognises the email and occurred-at columns in the chosen header language only', () => {
    const swedish = proposeMapping({ headers, language: 'sv', samples });
    expect(swedish.slice(0, 2).map((entry) => entry.to)).toEqual([{ kind: 'email' }, { kind: 'occurredAt' }]);
    const english = proposeMapping({ headers, language: 'en', samples });
    expect(english.slice(0, 2).map((entry) => entry.to.kind)).toEqual(['newProperty', 'newProperty']);
    const englishHeaders = proposeMapping({
      headers: ['Email', 'Event occurred at'],
      language: 'en',
      samples: [[], []],
    });
    expect(englishHeaders.map((entry) => entry.to.kind)).toEqual(['email', 'occurredAt']);
  });

  it('matches event properties by name or label, and proposes typed new properties for the rest', () => {
    const definition = {
      name: 'purchase',
      properties: [{ name: 'tier', label: 'Plan', type: 'string', options: [] }],
    } as unknown as Parameters<typeof proposeMapping>[0]['definition'];
    const forEvent = proposeMapping({ headers, language: 'sv', samples, definition });
    expect(forEvent.slice(2).map((entry) => entry.to)).toEqual([
      { kind: 'property', name: 'tier' },
      { kind: 'ignore' },
    ]);
    const forNewEvent = proposeMapping({ headers, language: 'sv', samples });
    expect(forNewEvent[3]!.to).toEqual({
      kind: 'newProperty',
      property: { name: 'belopp_sek', label: 'Belopp (SEK)', type: 'number', options: [] },
    });
  });
});

describe('header helpers', () => {
  it.each([
    ['Händelse vid', 'handelse vid'],
    ['  E-post ', 'e post'],
    ['Occurred_At', 'occurred at'],
  ])('normaliseHeader(%j) is %j', (header, expected) => expect(normaliseHeader(header)).toBe(expected));

  it('derives internal property names from headers', () => {
    expect(propertyNameOf('Order value (SEK)', 0)).toBe('order_value_sek');
    expect(propertyNameOf('123', 4)).toBe('column_5');
  });

  it.each([
    ['a,b,c\n1,2,3', ','],
    ['\uFEFFE-post;Händelse vid;Plan\n', ';'],
    ['"a;b",c,d\n', ','],
    ['a\tb\tc', '\t'],
  ])('detectDelimiter(%j) is %j', (head, expected) => expect(detectDelimiter(head)).toBe(expected));
});
