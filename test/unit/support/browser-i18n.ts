// Setup file of the unit project: the extension's UI code reads its texts through `browser.i18n`,
// which Node has not. Give it the real English messages (locales/en.yml, as the build turns them
// into messages.json), as an English browser would. Runs before each test file imports anything.
import { staticI18n } from '../../../lib/i18n/static-messages';
import { localeMessages } from './locale-messages';

const scope = globalThis as { chrome?: { i18n?: unknown } };
scope.chrome = { ...scope.chrome, i18n: staticI18n(await localeMessages('en'), 'en-US') };
