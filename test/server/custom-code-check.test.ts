import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checkCustomCode } from '../../server/custom-code/check';
import { buildCustomScript } from '../../server/custom-code/script';

describe('checkCustomCode', () => {
  it.each([
    "clicktrail.track('pe1_x', { plan: 'pro' });",
    '"use strict";\nconst a = 1; let b = a ?? 2; class C { #p = 1; }',
    'async function f() { await fetch("/x"); }\n// a comment at the end, without a newline',
    '',
  ])('accepts a classic script: %j', (code) => {
    expect(checkCustomCode(code)).toBeUndefined();
  });

  it.each([
    ['clicktrail.track("x", {', { line: 1 }],
    ['const a = 1;\nconst b = ;', { line: 2, column: 11 }],
    ['}); alert(1); (function () {', { line: 1, column: 1 }],
    ["import x from 'y';", { line: 1, column: 1 }],
    ['await fetch("/x");', { line: 1 }],
    ['return 1;', { line: 1, column: 1 }],
  ])('refuses %j where it stops parsing', (code, where) => {
    expect(checkCustomCode(code)).toMatchObject(where);
  });
});

describe('buildCustomScript', () => {
  it('gives the same bytes and ETag for the same code, and another for other code', () => {
    const one = buildCustomScript(1, [{ fullyQualifiedName: 'pe1_a', code: 'void 1;' }]);
    expect(buildCustomScript(1, [{ fullyQualifiedName: 'pe1_a', code: 'void 1;' }])).toEqual(one);
    expect(buildCustomScript(1, [{ fullyQualifiedName: 'pe1_a', code: 'void 2;' }]).etag).not.toBe(one.etag);
    expect(one.etag).toBe(`"${one.hash}"`);
  });

  it('runs every snippet through the tracker, each in a function of its own', () => {
    const ran: string[] = [];
    const { body } = buildCustomScript(1, [
      { fullyQualifiedName: 'pe1_a', code: 'clicktrail.push("a");' },
      { fullyQualifiedName: 'pe1_b', code: 'clicktrail.push("b"); // trailing comment' },
    ]);
    const clicktrail = { runCustomCode: (name: string, fn: (api: string[]) => void) => fn(ran) };
    vm.runInNewContext(body, { window: { clicktrail } });
    expect(ran).toEqual(['a', 'b']);
    // Without the tracker (blocked, or not loaded yet) the script does nothing, and does not throw.
    expect(() => void vm.runInNewContext(body, { window: {} })).not.toThrow();
  });
});
