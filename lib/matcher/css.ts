/**
 * `true` in tracker.js (vite.tracker.config.ts): it runs only in browsers, which all have
 * `CSS.escape`, so its bundle leaves the fallback out. Undeclared (hence unset) everywhere else.
 */
declare const __CLICKTRAIL_BROWSER_ONLY__: boolean | undefined;

/**
 * `CSS.escape`, with the CSSOM reference algorithm as a fallback for environments without
 * the `CSS` global (some test DOMs, workers). Both produce a valid CSS identifier.
 */
export function cssEscape(value: string): string {
  if (
    (typeof __CLICKTRAIL_BROWSER_ONLY__ === 'boolean' && __CLICKTRAIL_BROWSER_ONLY__) ||
    (typeof CSS !== 'undefined' && typeof CSS.escape === 'function')
  )
    return CSS.escape(value);
  return cssEscapePolyfill(value);
}

/** https://drafts.csswg.org/cssom/#serialize-an-identifier */
export function cssEscapePolyfill(value: string): string {
  let out = '';
  const first = value.charCodeAt(0);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0) out += '\uFFFD';
    else if (
      (code >= 0x1 && code <= 0x1f) ||
      code === 0x7f ||
      (i === 0 && code >= 0x30 && code <= 0x39) ||
      (i === 1 && code >= 0x30 && code <= 0x39 && first === 0x2d)
    )
      out += `\\${code.toString(16)} `;
    else if (i === 0 && code === 0x2d && value.length === 1) out += `\\${value.charAt(i)}`;
    else if (
      code >= 0x80 ||
      code === 0x2d ||
      code === 0x5f ||
      (code >= 0x30 && code <= 0x39) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a)
    )
      out += value.charAt(i);
    else out += `\\${value.charAt(i)}`;
  }
  return out;
}

/**
 * The contents of a double-quoted CSS string: only `"`, `\` and control characters (newlines
 * among them) are escaped, so `[href="/p/blue-hat"]` reads as the page's own value.
 */
export function cssString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/["\\\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
}
