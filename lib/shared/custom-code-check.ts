/**
 * Whether custom code parses, with a real JavaScript parser: the server's check on every write and
 * the panel editor's inline errors are this one function. Not exported from `lib/shared/index.ts`,
 * so only code that checks custom code bundles the parser.
 */
import { parse, type Options } from 'acorn';

/** Where custom code fails to parse, for an error next to the code (1-based line and column). */
export interface CodeProblem {
  message: string;
  line: number;
  column: number;
}

// A classic script, as the site runs it: no `import`/`export`, no top-level `await` or `return`.
const SCRIPT: Options = { ecmaVersion: 'latest', sourceType: 'script', locations: true };

function problemOf(error: unknown, lineOffset = 0): CodeProblem {
  const located = error as { message?: string; loc?: { line: number; column: number } };
  const line = (located.loc?.line ?? 1) - lineOffset;
  const column = (located.loc?.column ?? 0) + 1;
  // acorn appends " (line:column)" to its messages; the position is reported separately.
  const message = String(located.message ?? error).replace(/\s*\(\d+:\d+\)$/, '');
  return { message, line: Math.max(1, line), column };
}

/**
 * Whether `code` can run as an event's custom code: it must parse as a classic script on its own
 * (acorn, the latest ECMAScript), and still parse once wrapped in the function that
 * `/t/{portalId}/custom.js` puts around it — so no snippet can close the wrapper early and run
 * outside its own try/catch.
 */
export function checkCustomCode(code: string): CodeProblem | undefined {
  try {
    parse(code, SCRIPT);
  } catch (error) {
    return problemOf(error);
  }
  try {
    parse(wrapSnippet('x', code), SCRIPT);
  } catch (error) {
    return problemOf(error, 1);
  }
  return undefined;
}

/**
 * One event's code inside custom.js: a function the tracker calls inside its own try/catch with
 * the `clicktrail` API in scope. The code starts on a line of its own so line numbers in errors
 * match the editor's, plus one.
 */
export function wrapSnippet(fullyQualifiedName: string, code: string): string {
  return `c.run(${JSON.stringify(fullyQualifiedName)}, function (clicktrail) {\n${code}\n});`;
}
