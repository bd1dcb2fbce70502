// Set by wxt.config.ts: true only in the e2e build (`CLICKTRAIL_E2E=1`), which keeps the picker's shadow root open.
interface ImportMetaEnv {
  readonly CLICKTRAIL_E2E: boolean;
}
