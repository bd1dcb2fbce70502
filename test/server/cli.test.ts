import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-cli-'));
const env = { ...process.env, CLICKTRAIL_DATA_DIR: dataDir, DATABASE_URL: '' };

/** `npm run server -- …` as a user types it, without npm's banner. */
function server(...args: string[]) {
  return run(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts', ...args], { cwd: ROOT, env });
}

/** Starts the server on a free port and resolves with what it printed once it listens. */
function startAndReadBanner(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts', '--demo'], {
      cwd: ROOT,
      env: { ...env, PORT: '0' },
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`server did not start:\n${output}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Then open')) {
        clearTimeout(timer);
        child.once('exit', () => resolve(output));
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });
}

/** The exit code and stderr of a command that must fail. */
async function failure(command: Promise<unknown>): Promise<{ code: number; stderr: string }> {
  try {
    await command;
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
  throw new Error('the command succeeded');
}

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Each test starts the CLI several times (tsx compiles it at every start: about 2 s alone, several
// times that while npm test's e2e lane runs beside it).
describe('server CLI', { timeout: 90_000 }, () => {
  it('prints the API key on the first start only, with the demo URL and how to load the extension', async () => {
    const first = await startAndReadBanner();
    expect(first).toMatch(/API key \(shown once, store it now\): ct_[\w-]{43}/);
    expect(first).toMatch(/Demo site: http:\/\/127\.0\.0\.1:\d+\/demo\//);
    expect(first).toContain('.output/chrome-mv3');
    expect(first).toContain('.output/firefox-mv2/manifest.json');
    const second = await startAndReadBanner();
    expect(second).not.toMatch(/ct_[\w-]{43}/);
    expect(second).toContain('keys create');
  });

  it('creates a key that prints alone on stdout, lists it by prefix and revokes it', async () => {
    const { stdout } = await server('keys', 'create', 'ci');
    const key = stdout.trim();
    expect(key).toMatch(/^ct_[\w-]{43}$/);
    const listed = (await server('keys', 'list')).stdout;
    const prefix = key.slice(0, 9);
    expect(listed).toContain(`${prefix}…\tci\t`);
    expect(listed).not.toContain(key);
    const revoked = await server('keys', 'revoke', prefix);
    expect(revoked.stderr).toContain('Revoked 1 key.');
    expect((await server('keys', 'list')).stdout).toMatch(new RegExp(`${prefix}…\\tci\\t\\d+\\t\\S+\\t\\d{4}-`));
  });

  it('adds, lists and removes allowed site origins, normalising them', async () => {
    expect((await server('origins', 'add', 'https://Shop.Example.com/path?q=1')).stderr).toContain(
      'Allowed https://shop.example.com.',
    );
    expect((await server('origins', 'add', 'https://shop.example.com')).stderr).toContain('already allowed');
    expect((await server('origins', 'list')).stdout.trim()).toBe('https://shop.example.com');
    const bad = await failure(server('origins', 'add', 'shop.example.com'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('needs an http(s) origin');
    expect((await server('origins', 'remove', 'https://shop.example.com')).stderr).toContain('Removed');
    expect((await failure(server('origins', 'remove', 'https://shop.example.com'))).code).toBe(1);
    expect((await server('origins', 'list')).stdout).toContain('No allowed origins yet');
  });

  it('explains unknown commands and missing arguments', async () => {
    const unknown = await failure(server('keys', 'rotate'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown keys command "rotate"');
    const missing = await failure(server('keys', 'revoke'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs the id or prefix');
    expect((await failure(server('keys', 'revoke', 'ct_nope'))).code).toBe(1);
    expect((await failure(server('--frobnicate'))).code).toBe(2);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', async () => {
    const result = await failure(
      run(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts', 'keys', 'list'], {
        cwd: ROOT,
        env: { ...env, DATABASE_URL: 'mysql://localhost/db' },
      }),
    );
    expect(result.stderr).toContain('DATABASE_URL must be a PostgreSQL URL');
  });
});
