import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from 'hono';
import getRawBody from 'raw-body';
import { HttpError } from './errors';

/** Largest body the API reads (a 500-input batch of full completions fits comfortably). */
export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = () =>
  new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes.`);

/**
 * The request body as UTF-8 text, at most MAX_BODY_BYTES (413 beyond, checked against
 * Content-Length before reading and against the bytes as they arrive).
 *
 * Served by @hono/node-server, the body is read straight from Node's request stream: going through
 * the web `Request` (which Hono's `bodyLimit` and `c.req.text()` do) builds a Request object and a
 * web stream per call and halved the rate of the cheapest endpoints in `npm run bench:ingest`.
 */
export async function readBodyText(c: Context): Promise<string> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  // Not served by @hono/node-server (another adapter, or `app.request`): the web body, as a Node stream.
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const stream = incoming ?? (c.req.raw.body ? Readable.fromWeb(c.req.raw.body as WebReadableStream) : undefined);
  if (!stream) return '';
  try {
    return await getRawBody(stream, { length: declared, limit: MAX_BODY_BYTES, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') throw tooLarge();
    if (type === 'request.aborted') {
      // The client went away mid-body: nothing to store, and nobody left to read the answer.
      throw HttpError.validation('The request was aborted before its body arrived.', [
        { message: 'request aborted', in: 'body', code: 'aborted' },
      ]);
    }
    if (type === 'request.size.invalid') {
      throw HttpError.validation('The request body is shorter or longer than its Content-Length.', [
        { message: 'body length does not match Content-Length', in: 'body', code: 'invalid_length' },
      ]);
    }
    throw error;
  }
}

/** Reads a JSON body, with a clear 400 for a missing or malformed one. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw HttpError.validation('Send the body as JSON with "Content-Type: application/json".', [
      { message: `unsupported content type "${type || '(none)'}"`, in: 'header', code: 'content_type' },
    ]);
  }
  const text = await readBodyText(c);
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch (error) {
    throw HttpError.validation('The request body is not valid JSON.', [
      { message: error instanceof Error ? error.message : 'invalid JSON', in: 'body', code: 'invalid_json' },
    ]);
  }
}
