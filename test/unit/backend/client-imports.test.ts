import { describe, expect, it } from 'vitest';
import { BackendClient } from '../../../lib/backend/client';
import { MessageError } from '../../../lib/messaging';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A client whose fetch records the request and answers with `response`. */
function clientAnswering(response: () => Response) {
  const sent: Sent[] = [];
  const client = new BackendClient({ baseUrl: 'http://127.0.0.1:8787/', apiKey: 'ct_key' }, (url, init = {}) => {
    sent.push({ url, init });
    return Promise.resolve(response());
  });
  return { client, sent };
}

const preview = {
  id: '0b6f1c8e-3f0a-4a43-9d61-2b3c4d5e6f70',
  status: 'UPLOADED',
  fileName: 'events.csv',
  fileType: 'csv',
  sizeBytes: 5,
  headerLanguage: 'sv',
  columns: [],
  rows: [],
  proposedMapping: [],
  requiredFields: [],
  dateFormats: [],
};

describe('BackendClient imports', () => {
  it('uploads the file as multipart/form-data with the header language and event, and the API key', async () => {
    const { client, sent } = clientAnswering(() => Response.json(preview, { status: 201 }));
    const answer = await client.uploadImport(new Blob(['a,b\n']), {
      fileName: 'events.csv',
      headerLanguage: 'sv',
      eventName: 'signed_up',
    });
    expect(answer.id).toBe(preview.id);
    expect(sent[0]!.url).toBe('http://127.0.0.1:8787/imports/v1');
    expect(sent[0]!.init.method).toBe('POST');
    // No JSON content type: fetch sets the multipart boundary itself.
    expect(sent[0]!.init.headers).toEqual({ Authorization: 'Bearer ct_key' });
    const form = sent[0]!.init.body as FormData;
    expect(form.get('headerLanguage')).toBe('sv');
    expect(form.get('eventName')).toBe('signed_up');
    const file = form.get('file') as File;
    expect(file.name).toBe('events.csv');
    expect(await file.text()).toBe('a,b\n');
  });

  it("passes the server's refusal on: its category in words, and its field problems", async () => {
    const { client } = clientAnswering(() =>
      Response.json(
        {
          status: 'error',
          category: 'PAYLOAD_TOO_LARGE',
          message: 'The file is larger than the upload limit of 10 bytes.',
          correlationId: 'c',
          errors: [{ message: 'at most 10 bytes', in: 'file', code: 'too_large' }],
        },
        { status: 413 },
      ),
    );
    const failure = await client
      .uploadImport(new Blob(['x'.repeat(20)]), { fileName: 'a.csv', headerLanguage: 'en' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MessageError);
    expect((failure as MessageError).toData()).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'This is larger than the server accepts:',
      fields: [{ message: 'at most 10 bytes', in: 'file', code: 'too_large' }],
    });
  });

  it('reads the error report as CSV text', async () => {
    const csv = 'row,column,value,reason\n4,Email,x,email must be an email address\n';
    const { client, sent } = clientAnswering(() => new Response(csv, { headers: { 'Content-Type': 'text/csv' } }));
    expect(await client.importErrors(preview.id)).toBe(csv);
    expect(sent[0]!.url).toBe(`http://127.0.0.1:8787/imports/v1/${preview.id}/errors.csv`);
  });

  it('erases a contact with DELETE and takes the 204', async () => {
    const { client, sent } = clientAnswering(() => new Response(null, { status: 204 }));
    await client.eraseContact('42');
    expect(sent[0]).toMatchObject({ url: 'http://127.0.0.1:8787/contacts/v1/contacts/42', init: { method: 'DELETE' } });
  });
});
