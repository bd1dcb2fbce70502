import { HighlightStyle, defaultHighlightStyle } from '@codemirror/language';

/** CodeMirror's default colours, each replaced by the design token of its kind. */
const TOKEN_OF: Record<string, string> = {
  '#708': 'var(--ct-accent)', // keywords
  '#219': 'var(--ct-link)', // atoms, booleans
  '#164': 'var(--ct-success)', // numbers, literals
  '#a11': 'var(--ct-danger)', // strings
  '#e40': 'var(--ct-warning-text)', // regular expressions, escapes
  '#00f': 'var(--ct-link)', // defined variables
  '#30a': 'var(--ct-link)', // local variables
  '#00c': 'var(--ct-link)', // defined properties
  '#085': 'var(--ct-success)', // types, namespaces
  '#167': 'var(--ct-success)', // class names
  '#256': 'var(--ct-success)', // macros, special variables
  '#940': 'var(--ct-muted)', // comments
  '#404740': 'var(--ct-muted)', // meta
  '#f00': 'var(--ct-danger)', // invalid
};

/**
 * CodeMirror's default syntax highlighting in the colours of the design tokens
 * (components/common/extension-page.css), so the code stays readable in the dark theme too.
 */
export const tokenHighlightStyle = HighlightStyle.define(
  defaultHighlightStyle.specs.map(({ color, ...spec }) => ({
    ...spec,
    ...(typeof color === 'string' && TOKEN_OF[color] ? { color: TOKEN_OF[color] } : {}),
  })),
);
