/**
 * `npm run lint:firefox`: Mozilla's add-on linter (`web-ext lint`, what addons.mozilla.org runs on
 * upload) on the Firefox build, compared with `allowed-warnings.json`. Needs `npm run build:firefox`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { compareWithAllowList, stableFileName, type AllowedWarning, type LintReport } from './compare';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The Firefox build, or another directory given as the first argument (the test lints a doctored copy). */
const SOURCE_DIR = path.resolve(process.argv[2] ?? path.join(ROOT, '.output/firefox-mv2'));
const ALLOW_LIST = path.join(import.meta.dirname, 'allowed-warnings.json');

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(SOURCE_DIR, 'manifest.json'))) {
    console.error(`No Firefox build in ${SOURCE_DIR}: run \`npm run build:firefox\` first.`);
    return 2;
  }
  const bin = path.join(ROOT, 'node_modules/.bin/web-ext');
  // web-ext exits 1 when the linter reports errors; the JSON on stdout is what counts.
  const { stdout } = await promisify(execFile)(
    bin,
    ['lint', '--source-dir', SOURCE_DIR, '--output', 'json', '--no-config-discovery'],
    { cwd: ROOT, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' }, maxBuffer: 32 * 1024 * 1024 },
  ).catch((error: { stdout?: string; message: string }) => {
    if (error.stdout) return { stdout: error.stdout };
    throw error;
  });
  const report = JSON.parse(stdout) as LintReport & { summary: { errors: number; warnings: number; notices: number } };
  const allowed = JSON.parse(fs.readFileSync(ALLOW_LIST, 'utf8')) as AllowedWarning[];
  const { errors, warnings, notices } = report.summary;
  console.log(
    `web-ext lint ${path.relative(ROOT, SOURCE_DIR)}: ${errors} errors, ${warnings} warnings, ${notices} notices`,
  );
  for (const m of [...report.errors, ...report.warnings, ...report.notices]) {
    console.log(`  ${m.code.padEnd(24)} ${stableFileName(m.file)}`);
  }
  const verdict = compareWithAllowList(report, allowed);
  // The store package must carry the release number, the one in package.json.
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const manifest = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, 'manifest.json'), 'utf8')) as { version: string };
  if (manifest.version !== version) {
    verdict.ok = false;
    verdict.problems.push(`manifest.json has version ${manifest.version}, package.json ${version}: rebuild`);
  }
  if (verdict.ok) {
    console.log(`All ${warnings + notices} warnings are in ${path.relative(ROOT, ALLOW_LIST)} with their reasons.`);
    return 0;
  }
  console.error(`web-ext lint differs from ${path.relative(ROOT, ALLOW_LIST)}:`);
  for (const problem of verdict.problems) console.error(`  - ${problem}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`web-ext lint failed to run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
