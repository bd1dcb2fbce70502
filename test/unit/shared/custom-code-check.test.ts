import { describe, expect, it } from 'vitest';
import { checkCustomCode } from '../../../lib/shared/custom-code-check';

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
