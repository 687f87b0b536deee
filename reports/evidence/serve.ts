/** Serves a built site from localhost (`crm-eval reports serve`, and the browser test): what is on disk now. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { siteExists } from './build-site.ts';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serveSite(dir: string, port = 0, host = '127.0.0.1'): Promise<Served> {
  if (!siteExists(dir)) throw new Error(`no built site in ${dir}: run crm-eval reports build (or npm start) first`);
  // Evidence's pages are folders with an index.html; unknown paths get a 404, not the home page.
  // Each request looks on disk (sirv's dev mode), not in a list of files made at start: a
  // rebuild swaps a new site in under the same path, and the preview shows it without a
  // restart; no-cache with an ETag makes the browser ask again instead of showing the old one.
  const files = sirv(dir, { extensions: ['html'], dev: true, etag: true });
  const server = createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
