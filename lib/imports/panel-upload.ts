/**
 * How the side panel's import wizard hands a file to the background, which alone talks to the
 * backend.
 *
 * Why chunks of base64: a `File` cannot cross `runtime.sendMessage` in Chrome (messages are
 * JSON-serialised, so a File or ArrayBuffer arrives as `{}`). The other ways were weighed:
 * - uploading from the panel itself would put backend I/O (and the API key) outside the background;
 * - staging the Blob in IndexedDB (shared by the panel and the service worker) avoids the copy but
 *   gives no progress, and leaves a large Blob behind whenever a panel is closed mid-way.
 * So the panel reads the file slice by slice, sends each slice base64-encoded (one message each,
 * far below Chrome's 64 MiB message cap, so the panel can show upload progress), and the background
 * assembles the slices into a Blob and posts it as multipart/form-data to `POST /imports/v1`.
 * The background holds the whole file in memory while it assembles it, so the panel uploads files up
 * to `maxBytes`; larger files go through the CLI, which streams from disk (`npm run import`).
 */

import { formatNumber, t } from '../i18n';

export const PANEL_UPLOAD_LIMITS = {
  /** Bytes per chunk message (1.4 MB of base64). */
  chunkBytes: 1024 * 1024,
  /** The largest file the side panel uploads (~300,000 rows of a typical event CSV). */
  maxBytes: 50 * 1024 * 1024,
} as const;

/** Base64 length of a full chunk (what one chunk message may carry at most). */
export const MAX_CHUNK_BASE64_LENGTH = Math.ceil(PANEL_UPLOAD_LIMITS.chunkBytes / 3) * 4;

/** The message for a file the panel will not upload, pointing to the CLI. */
export function tooLargeForPanelMessage(sizeBytes: number): string {
  const mb = (bytes: number) => formatNumber(Math.ceil(bytes / (1024 * 1024)));
  return t('imports.tooLargeForPanel', { size: mb(sizeBytes), max: mb(PANEL_UPLOAD_LIMITS.maxBytes) });
}

/** The import file types, by file name (the server decides again, by the same rule). */
export const IMPORT_FILE_NAME_PATTERN = /\.(csv|xlsx|xls)$/i;

/** Base64 of bytes (in slices, so large chunks do not overflow the argument list). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** Bytes of base64 text; throws on text that is not base64. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
