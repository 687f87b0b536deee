/**
 * `reports serve` serves what is on disk now: a rebuild swaps a new site in under the same
 * folder (site-dir.ts) while the preview runs, and the next request shows the new site, new
 * pages included, without a restart. (site.test.ts does the same with real Evidence
 * builds of two companies behind one server.)
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serveSite, type Served } from '../../reports/evidence/serve.ts';
import { swapInSite } from '../../reports/evidence/site-dir.ts';
import { tempDir, writeFile } from '../fixtures/csv.ts';

/** A built site as Evidence leaves it, with one page per title. */
function builtSite(pages: Record<string, string>): string {
  const dir = join(tempDir(), 'build');
  for (const [route, title] of Object.entries(pages)) writeFile(join(dir, route, 'index.html'), `<h1>${title}</h1>`);
  writeFile(join(dir, 'data', 'manifest.json'), '{}');
  return dir;
}

const out = join(tempDir(), 'site');
let served: Served;

beforeAll(async () => {
  swapInSite(builtSite({ '': 'Company A', cost: 'Cost of A' }), out);
  served = await serveSite(out);
});

afterAll(() => served?.close());

const get = async (path: string) => {
  const response = await fetch(`${served.url}${path}`);
  return { status: response.status, text: await response.text() };
};

it('shows the rebuilt site on the next request, its new pages too, and forgets the pages it lost', async () => {
  expect(await get('/')).toEqual({ status: 200, text: '<h1>Company A</h1>' });
  expect((await get('/cost')).text).toBe('<h1>Cost of A</h1>');
  expect((await get('/people')).status).toBe(404);

  swapInSite(builtSite({ '': 'Company B', people: 'People of B' }), out);
  expect(await get('/')).toEqual({ status: 200, text: '<h1>Company B</h1>' });
  expect((await get('/people')).text).toBe('<h1>People of B</h1>');
  expect((await get('/cost')).status).toBe(404);
});

it('tells the browser to ask again instead of showing a cached old site', async () => {
  const response = await fetch(`${served.url}/`);
  expect(response.headers.get('cache-control')).toBe('no-cache');
  expect(response.headers.get('etag')).toBeTruthy();
});
