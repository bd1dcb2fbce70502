import { defineConfig } from 'wxt';

// Firefox needs a stable add-on id for storage and for the e2e tests' fixed moz-extension uuid.
export const GECKO_ID = 'clicktrail@clicktrail.dev';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
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
              strict_min_version: '115.0',
              // Data goes only to the user's own Clicktrail server, never to us or third parties.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
