import { describe, expect, it } from 'vitest';
import {
  compareWithAllowList,
  stableFileName,
  type AllowedWarning,
  type LintMessage,
} from '../../web-ext-lint/compare';

const evalIn = (file: string): LintMessage => ({
  code: 'DANGEROUS_EVAL',
  file,
  message: 'The Function constructor is eval.',
});
const allowed: AllowedWarning[] = [
  { code: 'DANGEROUS_EVAL', file: 'chunks/extension-page-*.js', count: 1, reason: 'zod probe' },
];

describe('stableFileName', () => {
  it.each([
    ['chunks/extension-page-ChnwNm0T.js', 'chunks/extension-page-*.js'],
    ['chunks/popup-PL09rhET.js', 'chunks/popup-*.js'],
    ['background.js', 'background.js'],
    ['content-scripts/picker.js', 'content-scripts/picker.js'],
    [undefined, '(package)'],
  ])('%s → %s', (file, expected) => {
    expect(stableFileName(file)).toBe(expected);
  });
});

describe('compareWithAllowList', () => {
  it('accepts exactly the listed warnings, whatever the build hash', () => {
    const verdict = compareWithAllowList(
      { errors: [], warnings: [evalIn('chunks/extension-page-8Uhgcpvo.js')], notices: [] },
      allowed,
    );
    expect(verdict).toEqual({ ok: true, problems: [] });
  });

  it('fails on a warning that is not listed, naming it', () => {
    const verdict = compareWithAllowList(
      {
        errors: [],
        warnings: [evalIn('chunks/extension-page-8Uhgcpvo.js'), { ...evalIn('background.js'), line: 1, column: 9 }],
        notices: [],
      },
      allowed,
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([expect.stringContaining('new warning DANGEROUS_EVAL at background.js:1:9')]);
  });

  it('fails when a listed warning appears more often than listed', () => {
    const twice = [evalIn('chunks/extension-page-a1b2c3d4.js'), evalIn('chunks/extension-page-a1b2c3d4.js')];
    const verdict = compareWithAllowList({ errors: [], warnings: twice, notices: [] }, allowed);
    expect(verdict.problems).toEqual([expect.stringContaining('2 warnings, the allow-list accepts 1')]);
  });

  it('fails when a listed warning is gone, so the list shrinks with every fix', () => {
    const verdict = compareWithAllowList({ errors: [], warnings: [], notices: [] }, allowed);
    expect(verdict.problems).toEqual([expect.stringContaining('allow-listed 1, now 0')]);
  });

  it('fails on any error, and counts notices like warnings', () => {
    const verdict = compareWithAllowList(
      {
        errors: [{ code: 'MANIFEST_FIELD_REQUIRED', file: 'manifest.json', message: '"version" is required' }],
        warnings: [evalIn('chunks/extension-page-8Uhgcpvo.js')],
        notices: [{ code: 'SOME_NOTICE', file: 'manifest.json', message: 'notice' }],
      },
      allowed,
    );
    expect(verdict.problems).toEqual([
      'error MANIFEST_FIELD_REQUIRED in manifest.json: "version" is required',
      expect.stringContaining('new warning SOME_NOTICE at manifest.json'),
    ]);
  });
});
