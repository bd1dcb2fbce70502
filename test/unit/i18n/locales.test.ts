import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { filesUnder, ROOT } from '../architecture/source-files';
import type { MessagesJson } from '../../../lib/i18n/static-messages';
import { localeMessages } from '../support/locale-messages';

/**
 * The directories (and single files, for a folder converted file by file) whose UI is translated:
 * every user-facing text there goes through lib/i18n.
 */
const CONVERTED_DIRS = [
  'components/popup',
  'components/picker',
  'components/common',
  'components/sidepanel',
  'entrypoints/sidepanel',
  'lib/analytics',
  'lib/imports',
];

const LOCALES = ['en', 'sv'] as const;
const placeholders = (text: string) => [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort();

describe('locales', async () => {
  const messages: Partial<Record<string, MessagesJson>> = {};
  for (const locale of LOCALES) messages[locale] = await localeMessages(locale);
  const en = messages.en!;

  it.each(LOCALES.slice(1))('%s has exactly the keys of en', (locale) => {
    expect(Object.keys(messages[locale]!).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(LOCALES.slice(1))('%s has the same {placeholders} as en in every message', (locale) => {
    const differing = Object.keys(en).filter(
      (key) => placeholders(en[key]!.message).join() !== placeholders(messages[locale]![key]?.message ?? '').join(),
    );
    expect(differing).toEqual([]);
  });

  it.each(LOCALES)('%s has a message for every plural category its language uses', (locale) => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const bases = new Set(
      Object.keys(messages[locale]!)
        .filter((key) => key.endsWith('_other'))
        .map((key) => key.slice(0, -'_other'.length)),
    );
    expect(bases.size).toBeGreaterThan(0);
    const missing = [...bases].flatMap((base) =>
      categories.filter((category) => !messages[locale]![`${base}_${category}`]).map((c) => `${base}_${c}`),
    );
    expect(missing).toEqual([]);
  });

  it.each(LOCALES)('%s has no empty message and no "$" (the browsers read $ as a substitution)', (locale) => {
    const bad = Object.entries(messages[locale]!).filter(([, { message }]) => !message.trim() || message.includes('$'));
    expect(bad).toEqual([]);
  });

  it('says which language each file is in (lib/i18n formats dates in it)', () => {
    for (const locale of LOCALES) expect(messages[locale]!.meta_locale?.message).toBe(locale);
  });
});

/** JSX attributes whose text a user sees or hears. */
const TEXT_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'title', 'placeholder', 'alt', 'label']);
/** Object properties whose string becomes UI text (errors, labels, notices). */
const TEXT_PROPERTIES = new Set(['message', 'label', 'description', 'notice', 'problem', 'error', 'title']);
/** A word: two letters in a row. Symbols (✕, ↑, ◎, ·) and punctuation are not language. */
const WORDS = /\p{L}{2,}/u;

const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.InKeyword,
]);
const isComparedValue = (node: ts.Node) =>
  ts.isBinaryExpression(node.parent) && COMPARISONS.has(node.parent.operatorToken.kind);

interface Finding {
  file: string;
  line: number;
  text: string;
}

/**
 * Literal user-facing text in a component file: JSX text, string literals of text attributes
 * (aria-label, title, placeholder, …), string literals and templates written directly in JSX
 * (`{busy ? 'Saving…' : 'Save'}`) and literal strings of `message:`/`label:`-like properties.
 * What it cannot see: text built in a helper function and returned as a plain string, or passed
 * through a variable with another name; a literal made of one word that is not a letter pair.
 */
function hardCodedTexts(file: string): Finding[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(path.resolve(ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string) => {
    if (WORDS.test(text)) {
      findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.trim() });
    }
  };
  const literalsIn = (node: ts.Node): void => {
    // A call's arguments are keys and values (t('popup.connect'), classNames), not UI text.
    if (ts.isCallExpression(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      // A value the code compares with (`kind === 'click'`, `'value' in reading`) is not shown.
      if (!isComparedValue(node)) report(node, node.text);
    } else if (ts.isTemplateExpression(node)) {
      report(node, [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('…'));
    } else if (ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node)) return;
    node.forEachChild(literalsIn);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(source);
      if (TEXT_ATTRIBUTES.has(name) && node.initializer) literalsIn(node.initializer);
      else node.initializer?.forEachChild(visit);
      return;
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      literalsIn(node.expression);
    } else if (ts.isPropertyAssignment(node) && TEXT_PROPERTIES.has(node.name.getText(source))) {
      literalsIn(node.initializer);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return findings;
}

describe('components hold no hard-coded user-facing text', () => {
  it.each(CONVERTED_DIRS)('%s', (dir) => {
    const files = /\.tsx?$/.test(dir) ? [dir] : filesUnder(dir).filter((file) => /\.tsx?$/.test(file));
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap(hardCodedTexts)).toEqual([]);
  });

  it('finds the kinds of text it looks for (the check itself can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-i18n-'));
    try {
      const file = path.join(dir, 'Sample.tsx');
      fs.writeFileSync(
        file,
        `export const A = ({ busy }: { busy: boolean }) => (
  <form aria-label="Which elements">
    <p>Connect to your server</p>
    <input placeholder={'e.g. add_to_cart'} className="ct-row wide" />
    <button>{busy ? 'Saving…' : t('picker.saveEvent')}</button>
    <span>{\`Matches \${n} elements\`}</span>
    <span>✕ ↑ ◎ {' '}{kind === 'click' ? '' : null}</span>
    <button onClick={() => add({ label: 'Element text', type: 'string' })}>{t('common.add')}</button>
  </form>
);
const error = { code: 'NO_TAB', message: 'Open your website in a tab first.' };`,
      );
      const found = hardCodedTexts(file).map((finding) => finding.text);
      expect(found).toEqual([
        'Which elements',
        'Connect to your server',
        'e.g. add_to_cart',
        'Saving…',
        'Matches … elements',
        'Element text',
        'Open your website in a tab first.',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
