import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/** Bundles `entry` as a classic script defining `window[name]` (vite lib mode, iife, in memory). */
export async function bundle(root: string, entry: string, name: string, minify = false): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    build: {
      write: false,
      minify,
      lib: { entry: path.join(root, entry), formats: ['iife'], name },
    },
  });
  for (const result of Array.isArray(output) ? output : [output]) {
    if ('output' in result) {
      const chunk = result.output.find((item) => item.type === 'chunk');
      if (chunk && chunk.type === 'chunk') return chunk.code;
    }
  }
  throw new Error(`Bundling ${entry} produced no script.`);
}

/** Minified and minified+gzipped size of `lib/matcher` as the tracker would ship it. */
export async function matcherSize(root: string): Promise<{ minified: number; gzipped: number }> {
  const code = await bundle(root, 'lib/matcher/index.ts', 'ClicktrailMatcher', true);
  return { minified: Buffer.byteLength(code), gzipped: gzipSync(code, { level: 9 }).length };
}
