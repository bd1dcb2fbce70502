import { formatNumber, t } from '../i18n';
import { MessageError } from '../messaging';
import { base64ToBytes } from '../imports/panel-upload';

/** What the panel said about the file when the upload began. */
export interface StagedUploadInfo {
  fileName: string;
  sizeBytes: number;
  headerLanguage: 'en' | 'sv';
  eventName?: string;
}

interface Staged {
  id: string;
  info: StagedUploadInfo;
  chunks: Uint8Array<ArrayBuffer>[];
  received: number;
}

const lost = () =>
  new MessageError({
    code: 'UPLOAD_LOST',
    message: t('imports.uploadLost'),
  });

/**
 * The background's side of the panel's chunked upload (see lib/imports/panel-upload.ts): one upload
 * at a time — a new one drops the previous, so an abandoned upload never holds memory for long.
 * Chunks must arrive in order; the assembled Blob must have the announced size.
 */
export class ImportStaging {
  #current: Staged | undefined;
  constructor(private readonly newId: () => string = () => crypto.randomUUID()) {}

  begin(info: StagedUploadInfo): string {
    this.#current = { id: this.newId(), info, chunks: [], received: 0 };
    return this.#current.id;
  }

  /** Adds the chunk that starts at `offset`; returns the bytes received so far. */
  append(uploadId: string, offset: number, base64: string): number {
    const staged = this.#take(uploadId);
    if (offset !== staged.received) {
      throw new MessageError({
        code: 'UPLOAD_OUT_OF_ORDER',
        message: t('imports.uploadOutOfOrder', {
          offset: formatNumber(offset),
          expected: formatNumber(staged.received),
        }),
      });
    }
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = base64ToBytes(base64);
    } catch {
      throw new MessageError({ code: 'INVALID_MESSAGE', message: 'An upload chunk was not base64.' });
    }
    if (staged.received + bytes.length > staged.info.sizeBytes) {
      this.#current = undefined;
      throw new MessageError({
        code: 'UPLOAD_SIZE_MISMATCH',
        message: t('imports.uploadGrew', { size: formatNumber(staged.info.sizeBytes) }),
      });
    }
    staged.chunks.push(bytes);
    staged.received += bytes.length;
    return staged.received;
  }

  /** The whole file, once every byte arrived; the staging is released either way. */
  finish(uploadId: string): { blob: Blob; info: StagedUploadInfo } {
    const staged = this.#take(uploadId);
    this.#current = undefined;
    if (staged.received !== staged.info.sizeBytes) {
      throw new MessageError({
        code: 'UPLOAD_SIZE_MISMATCH',
        message: t('imports.uploadShort', {
          received: formatNumber(staged.received),
          size: formatNumber(staged.info.sizeBytes),
        }),
      });
    }
    return { blob: new Blob(staged.chunks), info: staged.info };
  }

  #take(uploadId: string): Staged {
    if (!this.#current || this.#current.id !== uploadId) throw lost();
    return this.#current;
  }
}
