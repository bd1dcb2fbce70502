import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { ROOT } from './source-files';

/**
 * The e2e accessibility scan (test/e2e/chromium-panel-workspace.test.ts) runs every axe rule in the
 * light theme and only the colour rules in the dark one. That proves as much as two full scans only
 * while the dark theme changes nothing but colours: these tests hold the code to that.
 */

/** CSS and script files of the extension's pages and in-page UI, as repository paths. */
function sourcesUnder(dir: string, pattern: RegExp): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => pattern.test(file));
}
const STYLESHEETS = [...sourcesUnder('components', /\.css$/), ...sourcesUnder('entrypoints', /\.css$/)];
const SCRIPTS = [...sourcesUnder('components', /\.tsx?$/), ...sourcesUnder('entrypoints', /\.tsx?$/)];

/** The bodies of the `@media (prefers-color-scheme: dark)` blocks of a stylesheet. */
function darkBlocks(css: string): string[] {
  const blocks: string[] = [];
  for (const match of css.matchAll(/@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{/g)) {
    let depth = 1;
    let end = match.index + match[0].length;
    while (depth > 0 && end < css.length) {
      if (css[end] === '{') depth++;
      else if (css[end] === '}') depth--;
      end++;
    }
    blocks.push(css.slice(match.index + match[0].length, end - 1));
  }
  return blocks;
}

const COLOUR_PROPERTY =
  /^(--ct-[\w-]+|color|background|background-color|border-color|border-(top|right|bottom|left)-color|outline-color|caret-color|accent-color|fill|stroke|text-decoration-color)$/;
const COLOUR_VALUE = /^(#[\da-f]{3,8}|(rgb|rgba|hsl|hsla)\([^()]*\)|transparent|currentcolor|inherit)$/i;

/** Declarations in a dark block that are not a colour property set to a single colour. */
function nonColourDeclarations(block: string): string[] {
  const declarations = block
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/[^{}]*\{([^{}]*)\}/g, '$1;')
    .split(';')
    .map((declaration) => declaration.trim())
    .filter(Boolean);
  return declarations.filter((declaration) => {
    const colon = declaration.indexOf(':');
    const property = declaration.slice(0, colon).trim();
    const value = declaration.slice(colon + 1).trim();
    return colon < 0 || !COLOUR_PROPERTY.test(property) || !COLOUR_VALUE.test(value);
  });
}

describe('the dark theme', () => {
  it('finds the dark blocks it checks (the side panel’s design tokens among them)', () => {
    const withDark = STYLESHEETS.filter((file) => darkBlocks(fs.readFileSync(path.join(ROOT, file), 'utf8')).length);
    expect(withDark).toContain('components/common/extension-page.css');
  });

  it.each(STYLESHEETS)('changes colours only in %s', (file) => {
    const css = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(darkBlocks(css).flatMap(nonColourDeclarations)).toEqual([]);
  });

  it('tells a layout change in a dark block from a colour change', () => {
    expect(nonColourDeclarations(':root { --ct-bg: #16191f; } .x { color: rgb(1 2 3 / 50%); }')).toEqual([]);
    expect(nonColourDeclarations('.x { display: none; color: #fff }')).toEqual(['display: none']);
    expect(nonColourDeclarations('.x { background: url(a.png) #000 }')).toEqual(['background: url(a.png) #000']);
  });

  it('is read by script only where the script picks colours (the analytics chart’s series)', () => {
    const reading = SCRIPTS.filter((file) =>
      /prefers-color-scheme/.test(fs.readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(reading).toEqual(['components/sidepanel/analytics/SeriesChart.tsx']);
  });

  it('is scanned in the e2e test by every axe rule that reads colours', () => {
    // If axe gains a colour rule, the dark scan's list (COLOUR_RULES) must name it too.
    const colourRules = axe.getRules(['cat.color']).map((rule) => rule.ruleId);
    const scan = fs.readFileSync(path.join(ROOT, 'test/e2e/chromium-panel-workspace.test.ts'), 'utf8');
    const listed = /const COLOUR_RULES = \[([^\]]*)\]/.exec(scan)?.[1]?.match(/[\w-]+/g) ?? [];
    // color-contrast-enhanced (AAA) is off by default, in the light scan as well.
    expect(colourRules.filter((rule) => rule !== 'color-contrast-enhanced').sort()).toEqual([...listed].sort());
  });
});
