import { MessageError, sendToBackground } from '@/lib/messaging';
import { bytesToBase64, PANEL_UPLOAD_LIMITS, tooLargeForPanelMessage } from '@/lib/imports/panel-upload';
import type { HeaderLanguage, ImportPreview } from '@/lib/shared';

/**
 * Sends a chosen file to the background slice by slice (see lib/imports/panel-upload.ts for why),
 * reporting the share sent, then lets the background post it; answers with the server's preview.
 */
export async function uploadImportFile(
  file: File,
  fields: { headerLanguage: HeaderLanguage; eventName?: string },
  onProgress: (sent: number) => void,
  signal?: AbortSignal,
): Promise<ImportPreview> {
  if (file.size > PANEL_UPLOAD_LIMITS.maxBytes) {
    throw new MessageError({ code: 'TOO_LARGE', message: tooLargeForPanelMessage(file.size) });
  }
  const { uploadId } = await sendToBackground('imports/upload-begin', {
    fileName: file.name,
    sizeBytes: file.size,
    ...fields,
  });
  for (let offset = 0; offset < file.size; offset += PANEL_UPLOAD_LIMITS.chunkBytes) {
    signal?.throwIfAborted();
    const slice = file.slice(offset, offset + PANEL_UPLOAD_LIMITS.chunkBytes);
    const data = bytesToBase64(new Uint8Array(await slice.arrayBuffer()));
    const { received } = await sendToBackground('imports/upload-chunk', { uploadId, offset, data });
    onProgress(received / file.size);
  }
  return sendToBackground('imports/upload-finish', { uploadId });
}
