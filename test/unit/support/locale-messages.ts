import path from 'node:path';
import { generateChromeMessages, parseMessagesFile } from '@wxt-dev/i18n/build';
import type { MessagesJson } from '../../../lib/i18n/static-messages';

export const LOCALES_DIR = path.resolve(import.meta.dirname, '../../../locales');

/** The messages.json that the build makes of locales/<locale>.yml (the same @wxt-dev/i18n code). */
export async function localeMessages(locale: string): Promise<MessagesJson> {
  return generateChromeMessages(await parseMessagesFile(path.join(LOCALES_DIR, `${locale}.yml`)));
}
