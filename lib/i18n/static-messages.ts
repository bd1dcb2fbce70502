/** A `_locales/<lang>/messages.json` as the browser reads it. */
export type MessagesJson = Record<string, { message: string }>;

/** The part of `browser.i18n` that lib/i18n uses. */
export interface I18nApi {
  getMessage(name: string, substitutions?: string | string[]): string;
  getUILanguage(): string;
}

/**
 * `browser.i18n` answering from one locale's messages.json, for code that runs the extension's UI
 * without an extension runtime (unit tests in Node, the picker benchmark's plain page). Follows the
 * browsers: names are case-insensitive, `$1`–`$9` take substitutions, `$$` is a dollar sign, and an
 * unknown name gives ''.
 */
export function staticI18n(messages: MessagesJson, uiLanguage = 'en'): I18nApi {
  const byName = new Map(Object.entries(messages).map(([name, { message }]) => [name.toLowerCase(), message]));
  return {
    getMessage(name, substitutions) {
      const text = byName.get(name.toLowerCase());
      if (text === undefined) return '';
      const values = substitutions === undefined ? [] : [substitutions].flat();
      return text.replace(/\$(\$|[1-9])/g, (_whole, which: string) =>
        which === '$' ? '$' : (values[Number(which) - 1] ?? ''),
      );
    },
    getUILanguage: () => uiLanguage,
  };
}
