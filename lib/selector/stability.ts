/**
 * Heuristics for class names, ids and attribute values that will not survive a redeploy or
 * that describe a momentary state. Built from the usual generators (emotion, styled-components,
 * CSS modules / Next.js, styled-jsx, Svelte, react-native-web, Tailwind, Bootstrap, MUI,
 * Angular, React `useId`, Ember) and checked on the readability corpus (93 real pages, e.g.
 * bbc-1, cnn, nytimes-1, wikipedia, yahoo-1, engadget, medium-1) and on the 65 old/new page
 * pairs of the postlight corpus in Chromium and Firefox.
 */

/** Why a class name is not used in selectors; `stable` means it is. */
export type ClassKind = 'stable' | 'generated' | 'utility' | 'state';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const LONG_DIGITS = /\d{4,}/;
const HEX_HASH = /^(?=.*\d)(?=.*[a-f])[0-9a-f]{8,}$/i;

function letterDigitSwitches(segment: string): number {
  let switches = 0;
  for (let i = 1; i < segment.length; i++) {
    const a = /\d/.test(segment.charAt(i - 1));
    const b = /\d/.test(segment.charAt(i));
    if (a !== b) switches++;
  }
  return switches;
}

function caseSwitches(segment: string): number {
  let switches = 0;
  for (let i = 1; i < segment.length; i++) {
    const a = segment.charAt(i - 1);
    const b = segment.charAt(i);
    if ((a === a.toUpperCase()) !== (b === b.toUpperCase())) switches++;
  }
  return switches;
}

/** A hyphen/underscore-separated piece that reads like a hash: `1x2y3z`, `a8Fk2`, `kUJgNh`, `3fa9c0de`. */
function isHashSegment(segment: string): boolean {
  if (segment.length < 5) return false;
  if (HEX_HASH.test(segment)) return true;
  if (/^[a-z0-9]+$/i.test(segment) && letterDigitSwitches(segment) >= 3) return true;
  // styled-components / JSS hashes: short, letters only, case flipping on most characters.
  return (
    /^[a-z]{5,8}$/i.test(segment) &&
    (segment.match(/[A-Z]/g)?.length ?? 0) >= 2 &&
    caseSwitches(segment) / (segment.length - 1) >= 0.6
  );
}

/** Whether a token contains a UUID, a run of 4+ digits or a hash-like piece. */
export function looksGenerated(token: string): boolean {
  if (UUID.test(token) || LONG_DIGITS.test(token)) return true;
  return token.split(/[-_:.]+/).some(isHashSegment);
}

/** CSS-in-JS prefixes: emotion `css-`, styled-components `sc-`, styled-jsx `jsx-`, Svelte, Astro, JSS. */
const CSS_IN_JS = /^(?:css|sc|jsx|emotion|styled|svelte|astro|jss|tss|makeStyles)-/;
/** react-native-web atomic classes: `r-1awozwy`. */
const RN_WEB = /^r-(?=[a-z]*\d)[a-z0-9]{5,}$/;
/**
 * CSS modules / Next.js: `Button_primary__a8Fk2`, `styles-module__btn___3xYzA`, webpack `_2WzEm`;
 * the base64url hash may hold `_` itself (`nav_stNav_Sns__3aYq_`, lifehacker.jp).
 */
const CSS_MODULE_HASH = /_{2,3}[a-zA-Z0-9_-]{5,6}$/;
/** styled-components component ids without a display name: `fqsah8-0`, `j48i5d-2` (deadspin, littlethings). */
const STYLED_COMPONENT_ID = /^(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{5,8}-\d+$/;
const LEADING_UNDERSCORE_HASH = /^_[a-zA-Z0-9-]{4,}$/;

function isGeneratedClass(name: string): boolean {
  if (CSS_IN_JS.test(name) || RN_WEB.test(name) || STYLED_COMPONENT_ID.test(name) || /^ng-/.test(name)) return true;
  const moduleHash = CSS_MODULE_HASH.exec(name)?.[0].replace(/^_+/, '');
  if (moduleHash && /[0-9]|[A-Z].*[a-z]|[a-z].*[A-Z]/.test(moduleHash)) return true;
  if (LEADING_UNDERSCORE_HASH.test(name) && /\d/.test(name)) return true;
  return looksGenerated(name);
}

const UTILITY_WORDS = new Set(
  (
    'flex grid block inline inline-block inline-flex inline-grid contents table hidden absolute relative fixed ' +
    'sticky static truncate italic underline uppercase lowercase capitalize sr-only not-sr-only container grow ' +
    'shrink border rounded shadow transition transform antialiased visible invisible isolate clearfix pull-left ' +
    'pull-right d-none d-block d-flex'
  ).split(' '),
);

const UTILITY_PREFIX = new RegExp(
  '^-?(?:p[xytblrse]?|m[xytblrse]?|w|h|min-w|max-w|min-h|max-h|size|gap(?:-[xy])?|space-[xy]|inset(?:-[xy])?|' +
    'top|left|right|bottom|start|end|z|order|col(?:-span|-start|-end)?|row(?:-span|-start|-end)?|basis|grow|' +
    'shrink|flex|grid-cols|grid-rows|auto-cols|auto-rows|items|justify(?:-items|-self)?|content|self|' +
    'place(?:-content|-items|-self)?|text|font|leading|tracking|line-clamp|bg|from|via|to|' +
    'border(?:-[xytblrse])?|rounded(?:-[a-z]{1,2})?|ring(?:-offset)?|outline|shadow|opacity|blur|brightness|' +
    'contrast|backdrop|drop-shadow|transition|duration|ease|delay|animate|scale(?:-[xy])?|rotate|' +
    'translate-[xy]|skew-[xy]|origin|cursor|select|resize|overflow(?:-[xy])?|overscroll|whitespace|break|' +
    'decoration|list|align|object|aspect|columns|fill|stroke|divide(?:-[xy])?|accent|caret|snap|touch|' +
    'will-change|indent|float|clear|box|d)-(.+)$',
);

const UTILITY_VALUE_WORDS = new Set(
  (
    'px auto full screen min max fit none inherit current transparent black white center left right start end ' +
    'between around evenly stretch baseline wrap nowrap col row normal bold semibold medium light thin extrabold ' +
    'hidden visible scroll clip ellipsis solid dashed dotted pointer default sans serif mono tight tighter snug ' +
    'loose relaxed wide wider widest all colors in out in-out linear words cover contain square video'
  ).split(' '),
);

/** Tailwind/Bootstrap values: numbers (`p-4`), breakpoints (`col-md-6`), palette colours (`bg-blue-500`), keywords. */
function isUtilityValue(value: string): boolean {
  return (
    /^-?\d/.test(value) ||
    /^(?:\d?x[sl]|sm|md|lg|base)(?:$|-)/.test(value) ||
    /^[a-z]+-\d{2,3}(?:\/\d+)?$/.test(value) ||
    UTILITY_VALUE_WORDS.has(value)
  );
}

function isUtilityClass(name: string): boolean {
  // Tailwind variants and arbitrary values (`hover:bg-x`, `w-[12px]`, `w-1/2`, `!mt-0`, `w-1.5`)
  // and responsive suffixes (`border-top@tp+`, engadget; `u-hidden@sm`).
  if (/[:[\]/!@]|\.\d/.test(name)) return true;
  if (UTILITY_WORDS.has(name)) return true;
  const value = UTILITY_PREFIX.exec(name)?.[1];
  return value !== undefined && isUtilityValue(value);
}

/** Words that name a momentary state, alone (`active`) or as a suffix (`tab--selected`, `menu-open`). */
const STATE_WORDS =
  'active|current|hover|hovered|focus|focused|focus-visible|focus-within|selected|checked|open|opened|closed|' +
  'expanded|collapsed|visible|hidden|shown|show|showing|loading|loaded|disabled|enabled|highlighted|pressed|' +
  'dragging|dragover|animating|sticky|enter|leave|enter-active|leave-active|enter-to|leave-to|enter-from|leave-from';
/** Only standalone: as suffixes these are usually components (`sign-in`, `field-error`). */
const STATE_ONLY_ALONE = 'in|error|invalid|valid|dirty|pristine|touched|untouched|highlight|scrolled';
const STATE_EXACT = new RegExp(`^(?:${STATE_WORDS}|${STATE_ONLY_ALONE})$`);
const STATE_SUFFIX = new RegExp(`[-_](?:${STATE_WORDS})$`);

function isStateClass(name: string): boolean {
  return /^(?:is|has)-./.test(name) || /^Mui-/.test(name) || STATE_EXACT.test(name) || STATE_SUFFIX.test(name);
}

/** Classifies a class name: generated (hash), utility (Tailwind-style), state, or stable. */
export function classNameKind(name: string): ClassKind {
  if (!name || name.length > 100) return 'generated';
  if (isGeneratedClass(name)) return 'generated';
  if (isStateClass(name)) return 'state';
  if (isUtilityClass(name)) return 'utility';
  return 'stable';
}

/** Whether a class name should be kept out of selectors and fingerprints. */
export function isUnstableClass(name: string): boolean {
  return classNameKind(name) !== 'stable';
}

/** React `useId` (`:r1:`, `«r1»`), Ember, numbered widget ids (`ui-id-3`, `react-select-2-input`). */
export function isUnstableId(id: string): boolean {
  if (!id.trim() || id.length > 100) return true;
  if (/:[rR][0-9a-zA-Z_]*:|«[rR][0-9a-zA-Z_]*»/.test(id)) return true;
  if (/^ember\d+$/.test(id) || /^\d/.test(id)) return true;
  if (/[-_:.]\d+(?:[-_:.]|$)/.test(id)) return true;
  return looksGenerated(id);
}

/** Data attributes that carry framework bookkeeping or a momentary state rather than identity. */
const NOISY_DATA_ATTRIBUTE =
  /^data-(?:v-|reactid|react|rbd|radix|headlessui|emotion|styled|state|active|selected|open|focus|hover|highlighted|disabled|side|align|orientation|index|key|ts|timestamp|time|uid|gtm)/;

/** Whether a custom `data-*` attribute can anchor a selector (e.g. `data-product="shoe"`). */
export function isStableDataAttribute(name: string, value: string): boolean {
  if (!name.startsWith('data-') || NOISY_DATA_ATTRIBUTE.test(name)) return false;
  return value.trim() !== '' && value.length <= 200 && !looksGenerated(value);
}

/** The element's class names that are usable in selectors, in document order. */
export function stableClasses(el: Element): string[] {
  const names = (el.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
  return [...new Set(names)].filter((name) => !isUnstableClass(name));
}

/** The element's id when it looks hand-written, else undefined. */
export function stableId(el: Element): string | undefined {
  const id = el.getAttribute('id');
  return id !== null && !isUnstableId(id) ? id : undefined;
}
