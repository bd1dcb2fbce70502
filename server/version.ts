import { readFileSync } from 'node:fs';

/**
 * The release version, read once from package.json: the one number shown in both extension
 * manifests (WXT takes it from there), the tracker's build and the server's `GET /health`.
 */
export const CLICKTRAIL_VERSION = readVersion();

function readVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+/.test(version)) {
    throw new Error(`package.json has no valid "version" (got ${JSON.stringify(version)}).`);
  }
  return version;
}
