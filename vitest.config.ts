import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          setupFiles: ['test/unit/support/browser-i18n.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Real browsers on a 2-core machine: one file at a time keeps them from starving each other.
          fileParallelism: false,
          // One worker runs every file in turn, importing the server, Playwright and the support
          // modules once rather than once a file. Each file still starts its own server and browser.
          isolate: process.env.CLICKTRAIL_E2E_ISOLATE === '1',
          // Its own group: a non-isolated single worker may not share one with the unit and server
          // projects, which get more workers on machines with more cores.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
