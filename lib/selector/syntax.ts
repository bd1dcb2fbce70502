import { cssEscape, cssString, tagOf } from '../matcher';

/** `#id`, escaped. */
export function idSelector(id: string): string {
  return `#${cssEscape(id)}`;
}

/** `.a.b`, each class escaped. */
export function classSelector(names: readonly string[]): string {
  return names.map((name) => `.${cssEscape(name)}`).join('');
}

/** `[name="value"]`: the name escaped as an identifier, the value as string contents. */
export function attributeSelector(name: string, value: string): string {
  return `[${cssEscape(name)}="${cssString(value)}"]`;
}

/** The element's type selector, escaped (custom elements, SVG camelCase names). */
export function tagSelector(el: Element): string {
  return cssEscape(tagOf(el));
}

/** Reverses CSS identifier escapes (`\31 23` → `123`, `\:` → `:`), to judge the raw value. */
export function cssUnescape(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{1,6}[ \t\n]?|[\s\S])/g, (_, escape: string) => {
    if (!/^[0-9a-fA-F]/.test(escape)) return escape;
    const code = parseInt(escape, 16);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(code);
  });
}

/** The selector with string contents and escapes blanked, so `.`/`#` inside values are not misread. */
export function blankStrings(selector: string): string {
  return selector.replace(/\\(?:[0-9a-fA-F]{1,6}[ \t\n]?|[\s\S])/g, '_').replace(/"[^"]*"|'[^']*'/g, '""');
}
