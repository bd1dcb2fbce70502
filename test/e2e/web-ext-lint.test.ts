import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILD = path.join(ROOT, '.output/firefox-mv2');

/** `npm run lint:firefox [dir]`; never throws. */
async function lintFirefox(dir?: string) {
  return promisify(execFile)(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    ['test/web-ext-lint/run.ts', ...(dir ? [dir] : [])],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe("the test command's web-ext lint step", () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-lint-'));
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  // That it passes on the real build is the test command's own step (`npm run lint:firefox`).
  it('fails on a warning the allow-list does not name, saying where', { timeout: 240_000 }, async () => {
    fs.cpSync(BUILD, copy, { recursive: true });
    fs.appendFileSync(
      path.join(copy, 'background.js'),
      '\nglobalThis.document && (document.body.innerHTML = String(globalThis.location));\n',
    );
    const result = await lintFirefox(copy);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('new warning UNSAFE_VAR_ASSIGNMENT at background.js');
  });
});
