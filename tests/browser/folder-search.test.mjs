// Search from a folder (file://), where the browser refuses Pagefind's
// requests: the search page of each language loads its folder index and
// searches it in the page, under the page's own Content-Security-Policy.
// The same queries are put to Pagefind over http and to the folder search
// from file://, and must give the same documents first; Arabic is matched
// whatever the form of its hamza and taa marbuta; a filter narrows the
// results. Screenshots at 390 and 1280 px in both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLIC_DIR, ARTIFACTS_DIR, ensureArtifactsDir, publicExists } from './lib/env.mjs';
import { languageFolders } from './lib/pages.mjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, runAxe, formatViolations } from './lib/browser.mjs';
import { openGuardedContext, guardedPage, report, liveMarkup } from './lib/guard.mjs';
import { recordSummary } from './lib/summary.mjs';

const noSite = publicExists() ? false : `no built site at ${PUBLIC_DIR}`;
const hasPagefind = !noSite && fs.existsSync(path.join(PUBLIC_DIR, 'pagefind'));
const hasArabic = !noSite && languageFolders(PUBLIC_DIR).includes('ar');
const counts = { searches: 0, agreeFirst: 0, agreeTopThree: 0, indexBytes: 0, indexBytesAr: 0 };

// Queries about one document: the first result must be the same.
const NAMED = [
  ['', 'Haditha'], ['', 'Abu Ghraib'], ['', 'Nisour'], ['', 'Barwana'], ['', 'Mukaradeeb'],
  ['', 'Falluja'], ['', 'House of Wisdom'], ['', 'Abeer'], ['', 'Tikrit'],
  ['/ar', 'حديثة'], ['/ar', 'أبو غريب'], ['/ar', 'النسور'], ['/ar', 'الفلوجة'], ['/ar', 'بيت الحكمة'],
  ['/ar', 'تكريت'], ['/ar', 'عبير'], ['/ar', 'تعويضات'],
];
// Broader words several documents share: the same three come first, in
// whatever order.
const BROAD = [['', 'cluster munitions'], ['', 'Mosul'], ['/ar', 'الموصل'], ['/ar', 'الذخائر العنقودية']];
// Arabic typed without hamza, or with ه for ة, finds what the usual
// spelling finds.
const VARIANTS = [['حديثه', 'حديثة'], ['ابو غريب', 'أبو غريب'], ['الفلوجه', 'الفلوجة'], ['اسلامية', 'إسلامية']];

let server;
let browser;
let context;
// Where axe is injected: the same pages with their policy bypassed.
let axeContext;

before(async () => {
  if (noSite) return;
  ensureArtifactsDir();
  server = await startServer(PUBLIC_DIR);
  browser = await launchBrowser();
  context = await openGuardedContext(browser);
  axeContext = await openGuardedContext(browser, { bypassCSP: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  recordSummary('folder-search', counts);
});

/** A result's page, from the site's root, without `index.html`. */
function pagePath(href) {
  const url = new URL(href);
  const file = url.protocol === 'file:' ? '/' + path.relative(PUBLIC_DIR, decodeURIComponent(url.pathname)) : url.pathname;
  return file.replace(/index\.html$/, '');
}

/** Pagefind's first three results for `query` over http, from the search page of `prefix`. */
async function overHttp(prefix, query) {
  const page = await context.newPage();
  try {
    await page.goto(`${server.origin}${prefix}/search/`, { waitUntil: 'load' });
    const urls = await page.evaluate(async (q) => {
      const pagefind = await import('/pagefind/pagefind.js');
      await pagefind.options({ baseUrl: '/' });
      const found = await pagefind.search(q);
      return Promise.all(found.results.slice(0, 3).map(async (r) => (await r.data()).url));
    }, query);
    return urls.map((u) => pagePath(server.origin + u));
  } finally {
    await page.close();
  }
}

/** Opens the folder search of `prefix` from file:// and types `query`; returns the page, what the guard saw, and the first three results. */
async function fromFolder(prefix, query, { width = 1280, keep = false, within = context } = {}) {
  const { page, seen } = await guardedPage(within);
  await page.setViewportSize({ width, height: 900 });
  await page.goto(pathToFileURL(path.join(PUBLIC_DIR, prefix, 'search', 'index.html')).href, { waitUntil: 'load' });
  const input = page.locator('#folder-search input[type="search"]');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(query);
  await page.waitForFunction(() => document.querySelector('#folder-search .folder-count')?.textContent !== '', null, { timeout: 10_000 });
  counts.searches++;
  const hrefs = await page.locator('#folder-search .folder-results a').evaluateAll((as) => as.slice(0, 3).map((a) => a.href));
  const results = hrefs.map(pagePath);
  if (!keep) await page.close();
  return { page, seen, results };
}

test('the folder index of each language is small and beside its search page', { skip: noSite }, () => {
  for (const prefix of ['', ...(hasArabic ? ['ar'] : [])]) {
    const file = path.join(PUBLIC_DIR, prefix, 'search', 'folder-index.js');
    assert.ok(fs.existsSync(file), `${file} is missing`);
    const bytes = fs.statSync(file).size;
    counts[prefix ? 'indexBytesAr' : 'indexBytes'] = bytes;
    const text = fs.readFileSync(file, 'utf8');
    const pages = JSON.parse(text.slice(text.indexOf('=') + 1).trim().replace(/;$/, '')).pages;
    assert.ok(pages.length > 100, `${prefix}: only ${pages.length} pages indexed`);
    // A bound per page: titles, summaries and key facts, not bodies.
    assert.ok(bytes / pages.length < 700, `${prefix}: ${Math.round(bytes / pages.length)} bytes a page`);
  }
});

test('from a folder, a named query finds the same document first as Pagefind over http', { skip: noSite || (!hasPagefind && 'no pagefind/ to compare with') }, async () => {
  for (const [prefix, query] of NAMED) {
    if (prefix && !hasArabic) continue;
    const http = await overHttp(prefix, query);
    const { results } = await fromFolder(prefix, query);
    assert.ok(http.length > 0, `Pagefind found nothing for "${query}"`);
    assert.equal(results[0], http[0], `"${query}": the folder search puts ${results[0]} first, Pagefind ${http[0]}`);
    counts.agreeFirst++;
  }
});

test('from a folder, a broad query finds the same three documents first as Pagefind over http', { skip: noSite || (!hasPagefind && 'no pagefind/ to compare with') }, async () => {
  for (const [prefix, query] of BROAD) {
    if (prefix && !hasArabic) continue;
    const http = await overHttp(prefix, query);
    const { results } = await fromFolder(prefix, query);
    assert.deepEqual([...results].sort(), [...http].sort(), `"${query}": folder ${results.join(' ')}, Pagefind ${http.join(' ')}`);
    counts.agreeTopThree++;
  }
});

test('from a folder, Arabic is found whatever the form of hamza and taa marbuta', { skip: noSite || (!hasArabic && 'no Arabic edition') }, async () => {
  for (const [typed, usual] of VARIANTS) {
    const a = await fromFolder('/ar', typed);
    const b = await fromFolder('/ar', usual);
    assert.ok(b.results.length > 0, `"${usual}" finds nothing`);
    assert.deepEqual(a.results, b.results, `"${typed}" and "${usual}" differ`);
  }
});

test('from a folder, a filter narrows the results, under the page policy, with nothing run from the index', { skip: noSite }, async () => {
  const cases = [['', 'civilians', 'Governorate', 'Anbar']];
  if (hasArabic) cases.push(['/ar', 'مدنيين', 'المحافظة', 'الأنبار']);
  for (const [prefix, query, filter, place] of cases) {
    const { page, seen } = await fromFolder(prefix, query, { keep: true });
    try {
      const total = async () => page.locator('#folder-search .folder-results li').count();
      const before = await total();
      assert.ok(before > 1, `"${query}" found ${before} results`);
      await page.locator('#folder-search details.folder-filters summary').click();
      const select = page.locator('#folder-search .folder-filters-list label', { hasText: filter }).locator('select');
      const options = await select.locator('option').allTextContents();
      assert.ok(options.includes(place), `no ${place} among the places: ${options.join(', ')}`);
      await select.selectOption(place);
      const after = await total();
      assert.ok(after > 0 && after < before, `the ${place} filter left ${after} of ${before}`);
      const links = await page.locator('#folder-search .folder-results a').evaluateAll((as) => as.map((a) => a.href));
      for (const link of links) assert.match(pagePath(link), /\/incidents\//, `${link} passed the place filter`);
      const got = await report(page, seen);
      assert.deepEqual(got.violations, [], 'the policy refused something');
      assert.deepEqual(got.errors, [], 'uncaught script errors');
      assert.deepEqual(got.executions, [], 'script ran from content');
      assert.deepEqual(await liveMarkup(page), [], 'live markup in the results');
    } finally {
      await page.close();
    }
  }
});

test('from a folder, the search page with results passes axe at 390 and 1280 px in both languages', { skip: noSite }, async () => {
  const cases = [['', 'civilians'], ...(hasArabic ? [['/ar', 'مدنيين']] : [])];
  for (const [prefix, query] of cases) {
    for (const width of [390, 1280]) {
      const { page } = await fromFolder(prefix, query, { width, keep: true, within: axeContext });
      try {
        await page.locator('#folder-search details.folder-filters summary').click();
        const lang = prefix ? 'ar' : 'en';
        await page.screenshot({ path: path.join(ARTIFACTS_DIR, `folder-search-${lang}-${width}.png`), fullPage: true });
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `${lang} at ${width} px, axe:\n${formatViolations(violations)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${lang} at ${width} px scrolls sideways by ${overflow} px`);
      } finally {
        await page.close();
      }
    }
  }
});

test('over http with Pagefind, the folder index is not loaded', { skip: noSite || (!hasPagefind && 'no pagefind/') }, async () => {
  const { page } = await guardedPage(context);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  try {
    await page.goto(`${server.origin}/search/`, { waitUntil: 'load' });
    await page.locator('.pagefind-ui__search-input').first().waitFor({ timeout: 15_000 });
    assert.deepEqual(requests.filter((u) => /folder-(index|search)\.js/.test(u)), []);
    assert.equal(await page.locator('#folder-search').isHidden(), true);
  } finally {
    await page.close();
  }
});
