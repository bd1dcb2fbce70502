import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { headerLanguageSchema, importCancelSchema, IMPORT_LIMITS } from '../../lib/shared';
import { readJson } from '../http/body';
import type { AppEnv } from '../http/context';
import { HttpError } from '../http/errors';
import { fileTypeOf } from '../imports/readers';
import type { ImportRunner } from '../imports/runner';
import { createImport, startImport } from '../imports/service';
import { errorReportChunks, getImport, requestCancel, toImportStatus } from '../imports/store';
import type { Database } from '../storage/schema';

export interface ImportRouteOptions {
  runner: ImportRunner;
  /** Where uploads are stored until their import ends. */
  dir: string;
  maxUploadBytes?: number;
}

const tooLarge = (limit: number) =>
  new HttpError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than the upload limit of ${limit} bytes.`, [
    { message: `at most ${limit} bytes`, in: 'file', code: 'too_large' },
  ]);

interface Upload {
  filePath: string;
  fileName: string;
  fields: Record<string, string>;
}

/**
 * Streams a multipart upload's `file` part to disk (busboy; never held in memory), at most `limit`
 * bytes: a declared Content-Length over it is refused before anything is read, and a body that
 * grows past it while streaming is cut off, its partial file removed.
 */
async function receiveUpload(c: Context<AppEnv>, dir: string, limit: number, id: string): Promise<Upload> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  // The multipart envelope adds a few hundred bytes around the file.
  if (Number.isFinite(declared) && declared > limit + 64 * 1024) throw tooLarge(limit);
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw HttpError.validation('Upload the file as multipart/form-data with a "file" part.', [
      { message: `unsupported content type "${type || '(none)'}"`, in: 'header', code: 'content_type' },
    ]);
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const body = incoming ?? (c.req.raw.body ? Readable.fromWeb(c.req.raw.body as WebReadableStream) : undefined);
  if (!body)
    throw HttpError.validation('The upload has no body.', [{ message: 'empty body', in: 'file', code: 'required' }]);

  fs.mkdirSync(dir, { recursive: true });
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': type }, limits: { fileSize: limit, files: 1, fields: 20 } });
  } catch (error) {
    throw HttpError.validation(`The multipart body cannot be read: ${(error as Error).message}`, [
      { message: 'malformed multipart header', in: 'header', code: 'content_type' },
    ]);
  }
  const fields: Record<string, string> = {};
  let saved: { filePath: string; fileName: string } | undefined;
  let failure: HttpError | undefined;
  const writes: Promise<void>[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const fail = (error: HttpError) => {
    failure ??= error;
    finish();
  };
  parser.on('field', (name, value) => (fields[name] = value));
  parser.on('file', (name, stream, info) => {
    const fileName = info.filename ?? '';
    const fileType = fileTypeOf(fileName);
    if (name !== 'file' || !fileType || failure) {
      failure ??= HttpError.validation(
        name !== 'file'
          ? `Unexpected file part "${name}"; send the spreadsheet as the "file" part.`
          : 'The file must be a .csv, .xlsx or .xls spreadsheet.',
        [{ message: `file name ${JSON.stringify(fileName)}`, in: 'file', code: 'file_type' }],
      );
      stream.resume();
      return;
    }
    const filePath = path.join(dir, `${id}.${fileType}`);
    stream.on('limit', () => {
      // Stop receiving: the rest of a runaway upload is never read.
      body.unpipe(parser);
      stream.destroy();
      fail(tooLarge(limit));
    });
    writes.push(
      pipeline(stream, fs.createWriteStream(filePath)).then(
        () => {
          if (!failure) saved = { filePath, fileName: path.basename(fileName) };
        },
        () => undefined,
      ),
    );
  });
  parser.on('close', () => finish());
  parser.on('error', (error: Error) =>
    fail(
      HttpError.validation(`The multipart body cannot be read: ${error.message}`, [
        { message: error.message, in: 'body', code: 'malformed_multipart' },
      ]),
    ),
  );
  body.on('error', (error: Error) =>
    fail(
      HttpError.validation(`The upload failed: ${error.message}`, [
        { message: 'aborted', in: 'file', code: 'aborted' },
      ]),
    ),
  );
  body.pipe(parser);
  await done;
  if (failure?.status !== 413) await Promise.all(writes);
  if (failure || !saved) {
    fs.rmSync(path.join(dir, `${id}.csv`), { force: true });
    fs.rmSync(path.join(dir, `${id}.xlsx`), { force: true });
    fs.rmSync(path.join(dir, `${id}.xls`), { force: true });
    if (failure?.status === 413) c.header('Connection', 'close');
    throw (
      failure ??
      HttpError.validation('The upload has no "file" part.', [{ message: 'missing', in: 'file', code: 'required' }])
    );
  }
  return { ...saved, fields };
}

/** `/imports/v1`: spreadsheet import of event completions (see README "Spreadsheet import"). */
export function importRoutes(db: Kysely<Database>, options: ImportRouteOptions) {
  const app = new Hono<AppEnv>();
  const limit = options.maxUploadBytes ?? IMPORT_LIMITS.maxUploadBytes;

  const load = async (c: Context<AppEnv>) => {
    const id = c.req.param('id') ?? '';
    const row = /^[0-9a-f-]{36}$/.test(id) ? await getImport(db, c.get('portalId'), id) : undefined;
    if (!row) throw HttpError.notFound(`No import ${id}.`);
    return row;
  };

  app.post('/', async (c) => {
    const id = randomUUID();
    const upload = await receiveUpload(c, options.dir, limit, id);
    try {
      const language = headerLanguageSchema.safeParse(upload.fields.headerLanguage ?? 'en');
      if (!language.success) throw HttpError.fromZod(language.error, 'headerLanguage');
      const eventName = upload.fields.eventName?.trim() || undefined;
      const preview = await createImport(db, {
        id,
        portalId: c.get('portalId'),
        filePath: upload.filePath,
        fileName: upload.fileName,
        fileType: fileTypeOf(upload.fileName)!,
        ownsFile: true,
        headerLanguage: language.data,
        eventName,
      });
      return c.json(preview, 201);
    } catch (error) {
      fs.rmSync(upload.filePath, { force: true });
      throw error;
    }
  });

  app.get('/:id', async (c) => c.json(toImportStatus(await load(c))));

  app.post('/:id/start', async (c) => {
    await load(c);
    const status = await startImport(db, c.get('portalId'), c.req.param('id'), await readJson(c));
    options.runner.kick();
    return c.json(status, 202);
  });

  app.post('/:id/cancel', async (c) => {
    const row = await load(c);
    const hasBody = (c.req.header('content-length') ?? '0') !== '0' || c.req.header('transfer-encoding') !== undefined;
    const parsed = importCancelSchema.safeParse(hasBody ? await readJson(c) : {});
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'cancel');
    const result = await requestCancel(db, row.portal_id, row.id, parsed.data.rollback);
    if (!result.ok) {
      throw new HttpError(
        409,
        'CONFLICT',
        `Import ${row.id} is ${result.status} and cannot be cancelled${parsed.data.rollback ? ' or rolled back' : ''}.`,
        [{ message: `status ${result.status}`, in: 'id', code: 'not_cancellable' }],
      );
    }
    if (result.needsRunner) options.runner.kick();
    return c.json(toImportStatus((await getImport(db, row.portal_id, row.id))!), 202);
  });

  app.get('/:id/errors.csv', async (c) => {
    const row = await load(c);
    const chunks = errorReportChunks(db, row.id);
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="import-${row.id}-errors.csv"`);
    return c.body(stream);
  });

  return app;
}
