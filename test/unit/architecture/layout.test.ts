import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backgroundRequestSchemas, contentRequestSchemas } from '../../../lib/messaging';
import { filesUnder, importsOf, resolveImport, ROOT } from './source-files';

describe('architecture', () => {
  it('has the mandated top level', () => {
    for (const entry of [
      'entrypoints',
      'components',
      'lib',
      'public',
      'test',
      'server',
      'bench',
      'wxt.config.ts',
      'package.json',
      'tsconfig.json',
    ]) {
      expect(fs.existsSync(path.join(ROOT, entry)), entry).toBe(true);
    }
  });

  it('keeps only entrypoints (one folder each) under entrypoints/', () => {
    for (const entry of fs.readdirSync(path.join(ROOT, 'entrypoints'), { withFileTypes: true })) {
      expect(entry.isDirectory(), `${entry.name} should be an entrypoint folder`).toBe(true);
      const files = fs.readdirSync(path.join(ROOT, 'entrypoints', entry.name));
      expect(
        files.some((file) => /^(index\.(ts|tsx|html))$/.test(file)),
        `${entry.name} has an index`,
      ).toBe(true);
    }
  });

  it('has a background handler for every background request', () => {
    // Read as text: importing the handlers needs the extension runtime. tsc checks the handler map's
    // type too; this names the missing message plainly.
    // Handlers may be grouped by area in several lib/backend/*handlers.ts files.
    const handlers = fs
      .readdirSync(path.join(ROOT, 'lib/backend'))
      .filter((file) => file.endsWith('handlers.ts'))
      .map((file) => fs.readFileSync(path.join(ROOT, 'lib/backend', file), 'utf8'))
      .join('\n');
    for (const type of Object.keys(backgroundRequestSchemas)) expect(handlers).toContain(`'${type}':`);
  });

  it('has a content-script handler for every content request', () => {
    const controller = fs.readFileSync(path.join(ROOT, 'lib/picker/controller.ts'), 'utf8');
    for (const type of Object.keys(contentRequestSchemas)) expect(controller).toContain(`'${type}':`);
  });

  it.each([
    ['lib/shared', (target: string) => !target.startsWith('lib/shared')],
    ['lib/matcher', (target: string) => !/^lib\/(shared|matcher)/.test(target)],
    ['lib/selector', (target: string) => !/^lib\/(shared|matcher|selector)/.test(target)],
    ['lib/tracker', (target: string) => !/^lib\/(shared|matcher|tracker)/.test(target)],
  ])('%s imports only what the layout allows', (dir, forbidden) => {
    for (const file of filesUnder(dir)) {
      for (const specifier of importsOf(file)) {
        const target = resolveImport(file, specifier);
        expect(target !== undefined && forbidden(target), `${file} imports ${specifier}`).toBe(false);
      }
    }
  });

  it('never imports server/ from outside server/ (tests aside)', () => {
    for (const dir of ['lib', 'components', 'entrypoints']) {
      for (const file of filesUnder(dir)) {
        for (const specifier of importsOf(file)) {
          expect(resolveImport(file, specifier)?.startsWith('server'), `${file} imports ${specifier}`).not.toBe(true);
        }
      }
    }
  });

  it('keeps backend HTTP calls in the background: content-script code never calls fetch', () => {
    for (const file of [
      ...filesUnder('lib/picker'),
      ...filesUnder('components/picker'),
      ...filesUnder('entrypoints/picker.content'),
    ]) {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8'), file).not.toMatch(/\bfetch\(/);
    }
  });
});
