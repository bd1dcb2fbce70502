// The overlay reads its texts through `browser.i18n`, which a plain page has not: give it the
// English messages (bundled in by run.ts from locales/en.yml). Imported first by harness.tsx, so it
// runs before wxt/browser looks for the extension API.
import { staticI18n, type MessagesJson } from '../../../lib/i18n/static-messages';

declare const __CLICKTRAIL_MESSAGES__: MessagesJson;

const scope = globalThis as { chrome?: object };
scope.chrome = { ...scope.chrome, i18n: staticI18n(__CLICKTRAIL_MESSAGES__) };
