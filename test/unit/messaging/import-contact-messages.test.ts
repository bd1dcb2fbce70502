import { describe, expect, it } from 'vitest';
import { toBackground } from './echo-dispatch';
import { bytesToBase64, MAX_CHUNK_BASE64_LENGTH, PANEL_UPLOAD_LIMITS } from '../../../lib/imports/panel-upload';

const send = toBackground;

const ID = '0b6f1c8e-3f0a-4a43-9d61-2b3c4d5e6f70';
const begin = { fileName: 'events.csv', sizeBytes: 120, headerLanguage: 'en' };
const start = { event: { name: 'signed_up' }, mapping: [], dateFormat: 'iso', consent: true };

describe('import and contact messages', () => {
  it.each([
    ['imports/upload-begin', 'a file that is not a spreadsheet', { ...begin, fileName: 'events.txt' }, 'fileName'],
    ['imports/upload-begin', 'an empty file', { ...begin, sizeBytes: 0 }, 'sizeBytes'],
    ['imports/upload-begin', 'an unknown header language', { ...begin, headerLanguage: 'de' }, 'headerLanguage'],
    ['imports/upload-chunk', 'a chunk that is not base64', { uploadId: ID, offset: 0, data: 'not base64!' }, 'data'],
    ['imports/upload-chunk', 'a negative offset', { uploadId: ID, offset: -1, data: 'QUJD' }, 'offset'],
    [
      'imports/upload-chunk',
      'a chunk over 1 MB',
      { uploadId: ID, offset: 0, data: 'QUJD'.repeat(MAX_CHUNK_BASE64_LENGTH / 4 + 1) },
      'data',
    ],
    ['imports/upload-finish', 'an upload id that is not one', { uploadId: 'x' }, 'uploadId'],
    ['imports/start', 'no consent', { id: ID, start: { ...start, consent: false } }, 'start.consent'],
    [
      'imports/start',
      'an unknown date format',
      { id: ID, start: { ...start, dateFormat: 'dd/mm' } },
      'start.dateFormat',
    ],
    [
      'imports/start',
      'a mapping to an unknown kind',
      { id: ID, start: { ...start, mapping: [{ column: 'Email', to: { kind: 'phone' } }] } },
      'start.mapping.0.to.kind',
    ],
    ['imports/status', 'an id that is not an import id', { id: '12' }, 'id'],
    ['imports/cancel', 'no rollback choice', { id: ID }, 'rollback'],
    ['imports/active', 'a payload', { id: ID }, 'payload'],
    ['contacts/export', 'a contact id that is not a number', { contactId: 'ada' }, 'contactId'],
    ['contacts/erase', 'contact id 0', { contactId: '0' }, 'contactId'],
    ['contacts/enrolments', 'no contact id', {}, 'contactId'],
    ['privacy/ingest-stats', 'zero days', { days: 0 }, 'days'],
  ])('%s refuses %s', async (type, _case, payload, field) => {
    const reply = await send(type, payload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((detail) => detail.in)).toContain(field);
  });

  it('refuses a file over the panel limit with a message pointing to the CLI', async () => {
    const reply = await send('imports/upload-begin', { ...begin, sizeBytes: PANEL_UPLOAD_LIMITS.maxBytes * 3 });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.message).toBe(
      'This file is 150 MB; the side panel uploads files up to 50 MB. Import it from the command line instead: npm run import -- <file> --event <internal name> --consent',
    );
  });

  it('passes a full chunk and a valid start on, with the start defaults', async () => {
    const chunk = bytesToBase64(new Uint8Array(PANEL_UPLOAD_LIMITS.chunkBytes).fill(255));
    expect(await send('imports/upload-chunk', { uploadId: ID, offset: 0, data: chunk })).toMatchObject({ ok: true });
    const reply = await send('imports/start', {
      id: ID,
      start: { event: { create: { label: 'Webinar attended' } }, consent: true },
    });
    expect(reply).toEqual({
      ok: true,
      data: {
        echoed: {
          id: ID,
          start: { event: { create: { label: 'Webinar attended' } }, mapping: [], dateFormat: 'iso', consent: true },
        },
      },
    });
  });
});
