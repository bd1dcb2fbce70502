import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDay,
  formatNumber,
  formatRelativeTime,
  t,
  tp,
  tParts,
  tpParts,
  uiLocale,
} from '../../../lib/i18n';
import { staticI18n, type MessagesJson } from '../../../lib/i18n/static-messages';
import { localeMessages } from '../support/locale-messages';

// The unit project's setup answers browser.i18n in English (test/unit/support/browser-i18n.ts);
// these tests switch the same object to another browser language and back.
const chrome = (globalThis as unknown as { chrome: { i18n: unknown } }).chrome;
const english = chrome.i18n;
let en: MessagesJson;
let sv: MessagesJson;
const browserIn = (messages: MessagesJson, uiLanguage: string) => {
  chrome.i18n = staticI18n(messages, uiLanguage);
};

beforeAll(async () => {
  en = await localeMessages('en');
  sv = await localeMessages('sv');
});
afterEach(() => {
  chrome.i18n = english;
});

describe('t', () => {
  it('gives the message in the browser language, with its placeholders filled', () => {
    expect(t('popup.connect')).toBe('Connect');
    expect(t('picker.title', { element: 'button “Reserve”' })).toBe('Track clicks on button “Reserve”');
    browserIn(sv, 'sv-SE');
    expect(t('popup.connect')).toBe('Anslut');
    expect(t('picker.title', { element: 'button ”Boka”' })).toBe('Spåra klick på button ”Boka”');
  });

  it('shows the key of a message the locale lacks, not an empty string', () => {
    browserIn({}, 'sv-SE');
    expect(t('popup.connect')).toBe('popup.connect');
  });
});

describe('tp', () => {
  it.each([
    ['en', 1, 'Matches 1 element on this page'],
    ['en', 0, 'Matches 0 elements on this page'],
    ['en', 2, 'Matches 2 elements on this page'],
    ['sv', 1, 'testar 1 händelse. Ingenting skickas.'],
    ['sv', 0, 'testar 0 händelser. Ingenting skickas.'],
    ['sv', 7, 'testar 7 händelser. Ingenting skickas.'],
  ] as const)('%s, %i: %s', (locale, count, expected) => {
    browserIn(locale === 'en' ? en : sv, locale === 'en' ? 'en-US' : 'sv-SE');
    const key = expected.startsWith('Matches') ? 'picker.matchCount' : 'picker.testMode.testing';
    expect(tp(key, count)).toBe(expected);
  });

  it('writes the count as the locale writes numbers', () => {
    browserIn(sv, 'sv-SE');
    expect(tp('picker.testMode.testing', 1234)).toBe('testar 1\u00a0234 händelser. Ingenting skickas.');
  });
});

describe('tParts', () => {
  it('splits a message at its placeholders and keeps the values as given', () => {
    const strong = { element: 'strong' };
    expect(tParts('popup.connectedTo', { portalName: strong, portalId: 7 })).toEqual([
      'Connected to ',
      strong,
      ' (portal ',
      7,
      ')',
    ]);
  });
});

describe('tpParts', () => {
  it('splits the plural form the count needs, with the count formatted and the values kept', () => {
    const strong = { element: 'strong' };
    expect(tpParts('analytics.botTraffic', 1, { bots: strong, days: '30' })).toEqual([
      'Not counted above: ',
      strong,
      ' completion from bots (crawlers and headless browsers) dropped in the last ',
      '30',
      ' days.',
    ]);
    browserIn(sv, 'sv-SE');
    expect(tpParts('imports.fileInto', 1234, { file: 'a.csv', event: strong })).toEqual([
      'a.csv',
      ': ',
      '1\u00a0234',
      ' kolumner, till ',
      strong,
      '.',
    ]);
  });
});

describe('uiLocale', () => {
  it.each([
    ['sv-SE', 'sv', 'sv-SE'],
    ['sv-FI', 'sv', 'sv-FI'],
    ['en-GB', 'en', 'en-GB'],
    // A German browser gets the English messages: its dates are written the English way too.
    ['de-DE', 'en', 'en'],
  ])('browser %s with %s messages formats in %s', (ui, messages, expected) => {
    browserIn(messages === 'sv' ? sv : en, ui);
    expect(uiLocale()).toBe(expected);
  });
});

describe('formatDate, formatNumber, formatRelativeTime', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');

  it('writes dates and numbers in the user locale', () => {
    const options = { dateStyle: 'long', timeZone: 'UTC' } as const;
    expect(formatDate(now, options)).toBe('November 29, 2026');
    expect(formatNumber(1234.5)).toBe('1,234.5');
    browserIn(sv, 'sv-SE');
    expect(formatDate(now, options)).toBe('29 november 2026');
    expect(formatNumber(1234.5)).toBe('1\u00a0234,5');
  });

  it('writes a calendar day as that day wherever the user is, and numbers with options', () => {
    expect(formatDay('2026-11-29')).toBe('Nov 29, 2026');
    expect(formatNumber(0.125, { style: 'percent', maximumFractionDigits: 1 })).toBe('12.5%');
    browserIn(sv, 'sv-SE');
    expect(formatDay('2026-11-29')).toBe('29 nov. 2026');
    expect(formatNumber(0.125, { style: 'percent', maximumFractionDigits: 1 })).toBe('12,5\u00a0%');
    expect(formatNumber(7, { style: 'unit', unit: 'day', unitDisplay: 'long' })).toBe('7 dygn');
  });

  it.each([
    ['2026-11-29T11:59:30Z', 'just now', 'alldeles nyss'],
    ['2026-11-29T12:00:05Z', 'just now', 'alldeles nyss'],
    ['2026-11-29T11:59:00Z', '1 minute ago', 'för 1 minut sedan'],
    ['2026-11-29T11:15:00Z', '45 minutes ago', 'för 45 minuter sedan'],
    ['2026-11-29T09:00:00Z', '3 hours ago', 'för 3 timmar sedan'],
    ['2026-11-28T11:00:00Z', 'yesterday', 'i går'],
    ['2026-11-19T12:00:00Z', '10 days ago', 'för 10 dagar sedan'],
    ['2026-11-30T13:00:00Z', 'tomorrow', 'i morgon'],
  ])('%s is "%s" / "%s"', (at, english, swedish) => {
    expect(formatRelativeTime(at, now)).toBe(english);
    browserIn(sv, 'sv-SE');
    expect(formatRelativeTime(at, now)).toBe(swedish);
  });
});
