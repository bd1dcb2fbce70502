import { defineConfig } from 'wxt';

// Firefox needs a stable add-on id for storage and for the e2e tests' fixed moz-extension uuid.
export const GECKO_ID = 'clicktrail@clicktrail.dev';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // `npm run zip`: the store packages in .output/, plus for Firefox the source archive Mozilla's
  // reviewers rebuild the add-on from (docs/building-the-extension.md says how). The backend,
  // tests, benchmarks and any local database are not part of the add-on's source.
  zip: {
    excludeSources: ['data/**', 'server/**', 'test/**', 'bench/**', 'docs/**', 'test-results/**'],
    includeSources: ['docs/building-the-extension.md'],
  },
  manifest: ({ browser }) => ({
    name: 'Clicktrail',
    description: 'Point and click to define custom events on your website.',
    // `<all_urls>`: the picker runs on the user's own site, and the background calls a backend
    // whose URL the user chooses.
    permissions: ['storage', 'tabs'],
    host_permissions: ['<all_urls>'],
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
