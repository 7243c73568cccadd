// The Kiwix edition as a reader meets it: the ZIM file that `dossier zim`
// wrote, served by kiwix-serve on 127.0.0.1 (scripts/zim-test.sh starts it
// and sets KIWIX_URL and KIWIX_BOOK). Kiwix's library lists it with its
// metadata; Chromium opens the main page, an Arabic incident and the search
// page, and searches with Kiwix's own full-text index in English and in
// Arabic. Screenshots go to artifacts/kiwix-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS_DIR, ensureArtifactsDir } from '../lib/env.mjs';
import { launchBrowser, openContext, visit, isLocalRequest } from '../lib/browser.mjs';
import { recordSummary } from '../lib/summary.mjs';

const KIWIX_URL = process.env.KIWIX_URL;
const BOOK = process.env.KIWIX_BOOK;
if (!KIWIX_URL || !BOOK) throw new Error('KIWIX_URL and KIWIX_BOOK are not set: run scripts/zim-test.sh');

const counts = { pagesVisited: 0, screenshots: 0, requestsSeen: 0, externalRequests: 0 };
let browser;
let context;
// Where kiwix-serve serves the book's entries, learnt from where the book's
// own address leads (the main page): `/<book>/` or `/content/<book>/`.
let contentRoot;

before(async () => {
  ensureArtifactsDir();
  browser = await launchBrowser();
  context = await openContext(browser, 1280);
});

after(async () => {
  await browser?.close();
  recordSummary('kiwix', counts);
});

/** Visits `url`, screenshots it as `shot`, and checks no request left the machine. */
async function open(url, shot) {
  const visited = await visit(context, url);
  counts.pagesVisited++;
  counts.requestsSeen += visited.requests.length;
  const outside = visited.requests.filter((r) => !isLocalRequest(r));
  counts.externalRequests += outside.length;
  assert.deepEqual(outside, [], `${url} asked for something off this machine`);
  await visited.page.screenshot({ path: path.join(ARTIFACTS_DIR, shot), fullPage: false });
  counts.screenshots++;
  return visited;
}

/** The addresses of the results of a Kiwix full-text search for `pattern`. */
async function kiwixSearch(pattern, shot) {
  const url = `${KIWIX_URL}/search?content=${encodeURIComponent(BOOK)}&pattern=${encodeURIComponent(pattern)}`;
  const { page, status } = await open(url, shot);
  assert.equal(status, 200, `${url}: HTTP ${status}`);
  const links = await page.$$eval('.results a', (as) => as.map((a) => new URL(a.getAttribute('href'), location.href).pathname));
  await page.close();
  return links;
}

test('Kiwix\'s library lists the book with the dossier\'s metadata and illustration', async () => {
  const response = await fetch(`${KIWIX_URL}/catalog/v2/entries`);
  assert.equal(response.status, 200);
  const catalog = await response.text();
  assert.match(catalog, /<title>Accountability for abuses in Iraq since 2003<\/title>/);
  assert.match(catalog, /<language>eng,ara<\/language>/);
  assert.match(catalog, /<name>accountability-for-abuses-in-iraq-since-2003_mul<\/name>/);
  assert.match(catalog, /<summary>What victims and human-rights groups demand[^<]*<\/summary>/);
  assert.match(catalog, /<dc:issued>\d{4}-\d{2}-\d{2}/);
  const illustration = catalog.match(/href="([^"]*illustration[^"]*)"\s+type="image\/png;width=48;height=48/);
  assert.ok(illustration, 'no 48x48 illustration in the catalog');
  const png = await fetch(new URL(illustration[1].replaceAll('&amp;', '&'), KIWIX_URL));
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
});

test('the book opens on the dossier\'s home page in its default language', async () => {
  const { page, status } = await open(`${KIWIX_URL}/${BOOK}`, 'kiwix-home-1280.png');
  assert.equal(status, 200);
  const main = new URL(page.url());
  assert.match(main.pathname, /\/index\.html$/, `the main page is ${main.pathname}`);
  contentRoot = main.pathname.replace(/index\.html$/, '');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const title = await page.title();
  assert.match(title, /Accountability for abuses in Iraq since 2003/);
  // The home page's links lead to the dossier's pages inside the book.
  const incidents = await page.$$eval('a[href*="incidents/"]', (as) => as.map((a) => a.href));
  assert.ok(incidents.length > 0, 'the home page links to no incident');
  await page.close();
});

test('an Arabic incident page reads right to left with its Arabic title', async () => {
  assert.ok(contentRoot, 'the main page was not found');
  const url = `${KIWIX_URL}${contentRoot}ar/incidents/haditha-2005/index.html`;
  const { page, status, failures } = await open(url, 'kiwix-incident-ar-1280.png');
  assert.equal(status, 200, `${url}: HTTP ${status}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.match(await page.textContent('h1'), /حديثة/);
  // The page's own stylesheet came from the book (kiwix-serve's own files
  // are not the dossier's to check).
  const own = failures.filter((f) => f.url.startsWith(`${KIWIX_URL}${contentRoot}`));
  assert.deepEqual(own, [], 'files of the book that did not load');
  const styled = await page.$eval('body', (b) => getComputedStyle(b).fontFamily);
  assert.notEqual(styled, '', 'no stylesheet applied');
  await page.close();
});

test('Kiwix\'s full-text search finds the Haditha incident in English', async () => {
  assert.ok(contentRoot, 'the main page was not found');
  const results = await kiwixSearch('Haditha', 'kiwix-search-haditha-1280.png');
  assert.ok(results.includes(`${contentRoot}incidents/haditha-2005/index.html`), `results: ${results.join(', ')}`);
});

test('Kiwix\'s full-text search finds the Arabic Haditha incident for حديثة', async () => {
  assert.ok(contentRoot, 'the main page was not found');
  const results = await kiwixSearch('حديثة', 'kiwix-search-haditha-ar-1280.png');
  assert.ok(results.includes(`${contentRoot}ar/incidents/haditha-2005/index.html`), `results: ${results.join(', ')}`);
});

test('the search page either searches or says to use Kiwix\'s search bar', async () => {
  assert.ok(contentRoot, 'the main page was not found');
  const { page } = await open(`${KIWIX_URL}${contentRoot}search/index.html`, 'kiwix-search-page-1280.png');
  const unavailable = await page.$eval('#search-unavailable', (p) => (p.hidden ? null : p.textContent));
  if (unavailable !== null) {
    assert.match(unavailable, /Kiwix/);
  } else {
    // kiwix-serve serves the book over http, where Pagefind reads its index.
    await page.fill('.pagefind-ui__search-input', 'Haditha');
    const first = page.locator('.pagefind-ui__result-link').first();
    await first.waitFor({ timeout: 15_000 });
    assert.match(await first.getAttribute('href'), /incidents\/haditha-2005\/index\.html$/);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'kiwix-search-page-haditha-1280.png') });
    counts.screenshots++;
  }
  await page.close();
});
