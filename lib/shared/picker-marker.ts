/**
 * While the extension's picker is open on a page, its host element carries this attribute; the
 * site's tracker ignores clicks then, so the marketer's picks (and Shift-clicks that open a menu
 * to pick inside it) are never counted as a visitor's completions.
 */
export const PICKER_HOST_TAG = 'clicktrail-picker';
export const PICKER_ACTIVE_ATTRIBUTE = 'data-picking';
export const PICKER_ACTIVE_SELECTOR = `${PICKER_HOST_TAG}[${PICKER_ACTIVE_ATTRIBUTE}]`;

/**
 * Marks the page messages of a custom-code dry run (the code's `clicktrail.track` calls), which
 * test mode shows as "would send" toasts.
 */
export const DRY_RUN_MESSAGE = '__clicktrailDryRun';
