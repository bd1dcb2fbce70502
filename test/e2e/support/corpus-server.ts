import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/** The shared corpus of real pages (../shared/corpus from the repository); read in place, never copied. */
export const CORPUS = path.resolve(import.meta.dirname, '../../../../shared/corpus');

/** Serves the corpus over HTTP on 127.0.0.1 (the picker is injected into http(s) pages only). */
export async function serveCorpus(): Promise<{ url: string; close: () => Promise<void> }> {
  if (!fs.existsSync(CORPUS)) throw new Error(`The page corpus is missing at ${CORPUS}.`);
  const server = http.createServer((request, response) => {
    const file = path.join(CORPUS, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(CORPUS) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
