/** Replaced by the build (`vite.tracker.config.ts` defines it from package.json); 'dev' when run unbuilt. */
declare const __CLICKTRAIL_VERSION__: string | undefined;

/** The release this tracker was built from (`window.clicktrail.version`). */
export const TRACKER_VERSION: string = typeof __CLICKTRAIL_VERSION__ === 'string' ? __CLICKTRAIL_VERSION__ : 'dev';
