import type { Context } from 'hono';
import { HttpError } from './errors';

/** The ETag of a definition at a version: a strong tag holding just the version number. */
export function versionEtag(version: number): string {
  return `"${version}"`;
}

/**
 * The version a write is conditional on: `If-Match: "3"` (or `W/"3"`, `3`) and/or `version` in
 * the body. Both may be given only if they agree; `If-Match: *` means no condition.
 */
export function expectedVersion(c: Context, bodyVersion: number | undefined): number | undefined {
  const header = c.req.header('if-match')?.trim();
  let fromHeader: number | undefined;
  if (header && header !== '*') {
    const match = /^(?:W\/)?"?(\d+)"?$/.exec(header);
    if (!match) {
      throw HttpError.validation('If-Match must hold the definition version, e.g. If-Match: "3".', [
        { message: `unreadable If-Match value ${header}`, in: 'header', code: 'if_match' },
      ]);
    }
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw HttpError.validation('If-Match and the body version disagree; send one version.', [
      { message: `If-Match ${fromHeader} but version ${bodyVersion}`, in: 'version', code: 'version_mismatch' },
    ]);
  }
  return fromHeader ?? bodyVersion;
}
