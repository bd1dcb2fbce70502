import { defineConfig } from 'wxt';

// Firefox needs a stable add-on id for storage and for the e2e tests' fixed moz-extension uuid.
export const GECKO_ID = 'clicktrail@clicktrail.dev';

/**
 * `CLICKTRAIL_E2E=1 wxt build` makes the build the e2e tests load, into `.output/<target>-e2e`.
 * It differs from the release build in two ways only, because a test cannot answer a browser's
 * permission prompt nor see into a closed shadow root (docs/permissions.md says why that hides
 * no defect): the loopback origins the test servers listen on are granted at install, and the
 * picker's shadow root is open. Everything else (code, minification, mode) is the same.
 */
const E2E = process.env.CLICKTRAIL_E2E === '1';

/** Where the backend and the user's sites may be: asked for one origin at a time, when used. */
const OPTIONAL_ORIGINS = ['http://*/*', 'https://*/*'];
const E2E_ORIGINS = ['http://127.0.0.1/*', 'http://localhost/*'];

export default defineConfig({
  // @wxt-dev/i18n turns locales/<lang>.yml into _locales/<lang>/messages.json (the browser's own
  // i18n: no strings bundled into each entrypoint, read synchronously, usable in the manifest) and
  // types the keys from locales/en.yml. lib/i18n wraps it (plurals by CLDR rules, dates).
  modules: ['@wxt-dev/module-react', '@wxt-dev/i18n/module'],
  // `npm run zip`: the store packages in .output/, plus for Firefox the source archive Mozilla's
  // reviewers rebuild the add-on from (docs/building-the-extension.md says how). The backend,
  // tests, benchmarks and any local database are not part of the add-on's source.
  zip: {
    excludeSources: ['data/**', 'server/**', 'test/**', 'bench/**', 'docs/**', 'test-results/**'],
    includeSources: ['docs/building-the-extension.md'],
  },
  outDirTemplate: E2E ? '{{browser}}-mv{{manifestVersion}}-e2e' : undefined,
  vite: () => ({ define: { 'import.meta.env.CLICKTRAIL_E2E': JSON.stringify(E2E) } }),
  hooks: {
    // The picker is injected on demand only: no (empty) content-script entry in the manifest.
    'build:manifestGenerated': (_wxt, manifest) => {
      if (manifest.content_scripts?.length === 0) delete manifest.content_scripts;
    },
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // Least privilege (docs/permissions.md): no site access at install. `activeTab` gives the
    // tab the user opened the popup over; `scripting` injects the picker there on demand; the
    // backend's origin is asked for when the user clicks Connect.
    permissions: ['activeTab', 'scripting', 'storage'],
    ...(manifestVersion === 2
      ? { optional_permissions: OPTIONAL_ORIGINS }
      : { optional_host_permissions: OPTIONAL_ORIGINS }),
    ...(E2E ? { host_permissions: E2E_ORIGINS } : {}),
    action: { default_title: 'Clicktrail' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              // 140 (an ESR) is the first Firefox that knows data_collection_permissions, which
              // addons.mozilla.org requires of new add-ons; web-ext lint checks the two agree.
              strict_min_version: '140.0',
              // Data goes only to the user's own Clicktrail server, never to us or third parties.
              data_collection_permissions: { required: ['none'] },
            },
            // Firefox for Android learnt data_collection_permissions in 142.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
