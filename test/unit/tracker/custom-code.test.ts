// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { customCode } from '../../../lib/tracker/custom-code';

function setup() {
  const fetch = vi.fn((_url: string, _init: RequestInit) => Promise.resolve(new Response(null, { status: 200 })));
  Object.assign(window, { fetch });
  return { fetch, code: customCode(window, 'https://ct.example/t/1') };
}

describe('customCode', () => {
  it('adds the script of a version once, as a crossorigin request', () => {
    const { code } = setup();
    code.load(undefined);
    code.load('abc');
    code.load('abc');
    const scripts = [...document.querySelectorAll('script')].filter((script) => script.src.includes('custom.js'));
    expect(scripts.map((script) => [script.src, script.crossOrigin])).toEqual([
      ['https://ct.example/t/1/custom.js?v=abc', 'anonymous'],
    ]);
    code.load('def');
    expect(document.querySelectorAll('script[src*="custom.js?v=def"]')).toHaveLength(1);
  });

  it('runs each snippet with the API in scope and keeps going after one throws', () => {
    const { code, fetch } = setup();
    const api = { track: vi.fn() };
    code.run(
      'pe1_broken',
      () => {
        throw new TypeError('x is undefined');
      },
      api,
    );
    code.run('pe1_ok', (clicktrail) => void clicktrail.track('pe1_ok'), api);
    expect(api.track).toHaveBeenCalledWith('pe1_ok');
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://ct.example/t/1/errors');
    expect(JSON.parse(init.body as string)).toEqual({
      errors: [{ eventName: 'pe1_broken', name: 'TypeError', message: 'x is undefined', path: location.pathname }],
    });
  });

  it('reports a snippet once per page however often it throws, and survives odd throws', () => {
    const { code, fetch } = setup();
    for (let i = 0; i < 3; i++) {
      code.run(
        'pe1_again',
        () => {
          throw new Error('again');
        },
        {},
      );
    }
    code.run(
      'pe1_string',
      () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- sites throw anything
        throw 'plain string';
      },
      {},
    );
    code.run(
      'pe1_null',
      () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- sites throw anything
        throw null;
      },
      {},
    );
    const bodies = fetch.mock.calls.map(([, init]) => JSON.parse(init.body as string) as { errors: object[] });
    expect(bodies.map((body) => body.errors[0])).toEqual([
      expect.objectContaining({ eventName: 'pe1_again', message: 'again' }),
      expect.objectContaining({ eventName: 'pe1_string', message: 'plain string' }),
      expect.objectContaining({ eventName: 'pe1_null', message: 'null' }),
    ]);
  });
});
