import path from 'node:path';
import { defineConfig } from 'vite';

/** The site tracking script: one small classic script at `.output/tracker/tracker.js`. */
export default defineConfig({
  build: {
    outDir: '.output/tracker',
    emptyOutDir: true,
    target: 'es2019',
    lib: {
      entry: path.resolve(import.meta.dirname, 'lib/tracker/index.ts'),
      formats: ['iife'],
      name: 'ClicktrailTracker',
      fileName: () => 'tracker.js',
    },
  },
});
