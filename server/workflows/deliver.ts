import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, urlProblem, type WebhookPolicy } from './url-policy';

export interface WebhookRequest {
  url: string;
  /** The JSON payload, exactly as sent and signed. */
  body: string;
  secret: string;
  idempotencyKey: string;
  deliveryId: string;
}

export interface DeliveryLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface AttemptResult {
  ok: boolean;
  /** Worth trying again later: network errors, timeouts, 5xx, 408 and 429. */
  retryable: boolean;
  status: number | null;
  latencyMs: number;
  /** The start of the response body (for the test button), at most 2,000 characters. */
  responseBody: string | null;
  error: string | null;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"), the `X-Clicktrail-Signature` header. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs a signed webhook once. Never throws: every outcome (refused URL, DNS or connection error,
 * timeout, oversize answer, non-2xx status) comes back as a result with a readable error.
 */
export function postWebhook(request: WebhookRequest, policy: WebhookPolicy, limits: DeliveryLimits) {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refused = urlProblem(request.url, policy);
  if (refused) {
    return Promise.resolve<AttemptResult>({
      ok: false,
      retryable: false,
      status: null,
      latencyMs: 0,
      responseBody: null,
      error: refused,
    });
  }
  const url = new URL(request.url);
  const timestamp = Math.floor(Date.now() / 1000);
  const body = Buffer.from(request.body);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const fail = (error: string, retryable: boolean, status: number | null = null) =>
      finish({ ok: false, retryable, status, responseBody: null, error });
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      lookup: guardedLookup(policy),
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': body.length,
        'User-Agent': 'Clicktrail-Webhooks/1',
        'Idempotency-Key': request.idempotencyKey,
        'X-Clicktrail-Delivery': request.deliveryId,
        'X-Clicktrail-Timestamp': String(timestamp),
        'X-Clicktrail-Signature': signPayload(request.secret, timestamp, request.body),
      },
    });
    const timer = setTimeout(() => {
      fail(`no answer within ${limits.timeoutMs} ms (timed out)`, true);
      req.destroy();
    }, limits.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPRIVATEADDRESS') return fail(error.message, false);
      fail(`${error.code ? `${error.code}: ` : ''}${error.message}`, true);
    });
    req.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxResponseBytes) {
          fail(
            `the response is larger than ${limits.maxResponseBytes} bytes (status ${status}); answer briefly`,
            false,
            status,
          );
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => fail(`the response broke off: ${error.message}`, true, status));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8').slice(0, 2000);
        if (status >= 200 && status < 300) {
          return finish({ ok: true, retryable: false, status, responseBody: text, error: null });
        }
        const retryable = status >= 500 || status === 408 || status === 429;
        const hint = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
        finish({ ok: false, retryable, status, responseBody: text, error: `the receiver answered ${status}${hint}` });
      });
    });
    req.end(body);
  });
}
