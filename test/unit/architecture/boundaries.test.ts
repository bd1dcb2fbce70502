import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { filesUnder, importsOf, resolveImport, ROOT } from './source-files';

/**
 * Globals every runtime of lib/shared has (browsers, workers, Node): WHATWG URL and TextEncoder. Given to the
 * host-free check as an in-memory file so it allows them without allowing the DOM or Node.
 */
const UNIVERSAL_GLOBALS = `
declare class URLSearchParams {
  constructor(init?: string);
  get(name: string): string | null;
  has(name: string): boolean;
  getAll(name: string): string[];
  toString(): string;
}
declare class URL {
  constructor(url: string, base?: string | URL);
  static canParse(url: string, base?: string): boolean;
  href: string;
  readonly origin: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  readonly searchParams: URLSearchParams;
  hash: string;
  toString(): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}`;
const GLOBALS_FILE = path.join(ROOT, '__universal-globals.d.ts');

/** Type-checks files with only the ECMAScript library and WHATWG URL: no DOM and no Node types to lean on. */
function diagnosticsWithoutHost(files: string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === GLOBALS_FILE || fileExists(file);
  host.getSourceFile = (file, language, ...rest) =>
    file === GLOBALS_FILE
      ? ts.createSourceFile(file, UNIVERSAL_GLOBALS, language)
      : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([...files.map((file) => path.join(ROOT, file)), GLOBALS_FILE], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${path.relative(ROOT, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : '';
    return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

describe('DESIGN.md boundaries', () => {
  it('lib/shared uses neither the DOM nor Node: it type-checks with the ECMAScript library alone', () => {
    expect(diagnosticsWithoutHost(filesUnder('lib/shared'))).toEqual([]);
  }, 60_000);

  it('the host-free check can fail: a file using document does not type-check that way', () => {
    const diagnostics = diagnosticsWithoutHost(['test/unit/architecture/fixtures/uses-dom.ts']);
    expect(diagnostics.join('\n')).toMatch(/Cannot find name 'document'/);
  }, 60_000);

  // acorn: the JavaScript parser behind the custom-code check that the server and the panel
  // editor share; safe-regex2: the catastrophic-backtracking check of regex URL rules and
  // conditions, shared by the server and the picker. Both pure ECMAScript (no DOM or Node), each
  // allowed only in the one module that needs it.
  const SHARED_PACKAGES: Record<string, string[]> = {
    zod: [],
    acorn: ['lib/shared/custom-code-check.ts'],
    'safe-regex2': ['lib/shared/regex-pattern.ts'],
  };

  it('lib/shared imports no Node built-in and no package but zod (and acorn for the code check)', () => {
    for (const file of filesUnder('lib/shared')) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) continue;
        const onlyIn = SHARED_PACKAGES[specifier];
        expect(onlyIn, `${file} imports ${specifier}`).toBeDefined();
        if (onlyIn!.length > 0) expect(onlyIn, `${file} imports ${specifier}`).toContain(file);
      }
    }
  });

  it('lib/tracker imports packages only as types (the tracker bundle carries no library)', () => {
    for (const file of filesUnder('lib/tracker')) {
      for (const specifier of importsOf(file)) {
        expect(specifier.startsWith('.') || specifier.startsWith('@/'), `${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  it.each([
    ['bench', 'test'],
    ['test', 'bench'],
  ])('%s/ never imports %s/ (a harness both use lives in lib/ or server/)', (from, to) => {
    for (const file of filesUnder(from)) {
      for (const specifier of importsOf(file)) {
        const target = resolveImport(file, specifier);
        expect(target?.split(path.sep)[0] === to, `${file} imports ${specifier}`).toBe(false);
      }
    }
  });
});

describe('corpus tests', () => {
  /** Test files that read the shared corpus of real pages (`../shared/corpus`). */
  const corpusFiles = filesUnder('test').filter(
    (file) =>
      !file.startsWith('test/unit/architecture') &&
      /shared\/corpus/.test(fs.readFileSync(path.join(ROOT, file), 'utf8')),
  );

  it('fail rather than skip when ../shared/corpus is missing: the only skip is the CLICKTRAIL_SKIP_CORPUS opt-out', () => {
    // Not vacuous: the unit and e2e files that read the corpus are all found.
    expect(corpusFiles).toEqual(
      expect.arrayContaining([
        'test/unit/matcher/corpus.test.ts',
        'test/unit/matcher/corpus-pairs.test.ts',
        'test/unit/matcher/could-be-match.test.ts',
        'test/e2e/support/corpus-server.ts',
      ]),
    );
    for (const file of corpusFiles) {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      for (const [skip] of source.matchAll(/\.(?:skip|skipIf|runIf|todo)\b(?:\([^)]*\))?/g)) {
        expect(skip, `${file} skips otherwise than on the opt-out`).toBe('.skipIf(SKIP_CORPUS)');
      }
      if (source.includes('skipIf(SKIP_CORPUS)')) {
        expect(source, file).toContain("const SKIP_CORPUS = process.env.CLICKTRAIL_SKIP_CORPUS === '1';");
      }
      // A missing corpus must not shrink a test to nothing: no `ctx.skip()` and no early return on existsSync.
      expect(source, file).not.toMatch(/ctx\.skip\(|if \(!fs\.existsSync\([^)]*\)\) return/);
    }
  });
});
