import { createHash } from 'node:crypto';
import { wrapSnippet } from '../../lib/shared/custom-code-check';

export interface Snippet {
  fullyQualifiedName: string;
  code: string;
}

export interface CustomScript {
  body: string;
  /** Strong ETag of the body; also the `v` the tracker's config names, so a change loads anew. */
  etag: string;
  hash: string;
}

/**
 * `/t/{portalId}/custom.js`: every active event's custom code, each in its own function that the
 * tracker runs inside a try/catch (`clicktrail.runCustomCode`), so one broken snippet never stops
 * another or the tracker. Deterministic for the same code, so `integrity` hashes stay valid until
 * the code changes.
 */
export function buildCustomScript(portalId: number, snippets: Snippet[]): CustomScript {
  const body = [
    `/* Clicktrail custom code of portal ${portalId}: generated from the events' code; edit it in Clicktrail. */`,
    '(function (c) {',
    'if (!c || typeof c.runCustomCode !== "function") return;',
    'c = { run: c.runCustomCode };',
    ...snippets.map((snippet) => wrapSnippet(snippet.fullyQualifiedName, snippet.code)),
    '})(window.clicktrail);',
    '',
  ].join('\n');
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body, etag: `"${hash}"`, hash };
}
