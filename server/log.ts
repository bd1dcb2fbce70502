/**
 * The server's log: one JSON object per line on stderr (stdout stays for the start-up banner and
 * the CLI's answers), so journald, Docker or any collector can parse it. Every line has `time`,
 * `level` and `msg`; request failures carry the `correlationId` the client got in its error body
 * and `X-Correlation-Id` header.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

/** Writes one log line; an `error` field that is an Error becomes its message and stack. */
export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  const line: LogFields = { time: new Date().toISOString(), level, msg };
  for (const [key, value] of Object.entries(fields)) {
    line[key] = value instanceof Error ? { message: value.message, name: value.name, stack: value.stack } : value;
  }
  process.stderr.write(`${JSON.stringify(line)}\n`);
}
