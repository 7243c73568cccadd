// Each page type of every language edition in headless Chromium at phone and
// desktop widths: a screenshot, axe-core's WCAG 2.2 AA checks, the page's
// language and direction, no horizontal scrolling, and no request leaving
// this machine. Then the print page and the search pages (English and
// Arabic) are used as a reader would.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR, ARTIFACTS_DIR, ensureArtifactsDir, publicExists } from './lib/env.mjs';
import { pageTypes, languageFolders, dossierTitles } from './lib/pages.mjs';
import { subfolders, isDir } from './lib/files.mjs';
import { firstH1, normalizeText } from './lib/html.mjs';
import { startServer } from './lib/server.mjs';
import { WIDTHS, launchBrowser, openContext, visit, runAxe, formatViolations, isLocalRequest } from './lib/browser.mjs';
import { recordSummary } from './lib/summary.mjs';

const counts = {
  pageTypes: 0,
  pagesVisited: 0,
  screenshots: 0,
  requestsSeen: 0,
  externalRequests: 0,
  failedSubresources: 0,
  scriptErrors: 0,
  axeViolations: 0,
  printTitles: 0,
};

const noSite = publicExists() ? false : `no built site at ${PUBLIC_DIR} (run scripts/browser-test.sh, or set DOSSIER_PUBLIC)`;
// The default language's edition at the root, then each other one (`ar/`).
const editions = noSite ? [] : ['', ...languageFolders(PUBLIC_DIR)];
const types = { pages: [], skipped: [], missing: [] };
for (const lang of editions) {
  const edition = pageTypes(PUBLIC_DIR, lang);
  for (const key of Object.keys(types)) types[key].push(...edition[key].map((t) => ({ ...t, lang })));
}
// The language and direction each edition's pages must declare.
const DIRECTIONS = { ar: 'rtl', ckb: 'rtl', fa: 'rtl', he: 'rtl', ur: 'rtl' };
counts.pageTypes = types.pages.length;

let server;
let browser;
const contexts = new Map();

before(async () => {
  if (noSite) return;
  ensureArtifactsDir();
  server = await startServer(PUBLIC_DIR);
  browser = await launchBrowser();
  for (const w of WIDTHS) contexts.set(w, await openContext(browser, w));
});

after(async () => {
  await browser?.close();
  await server?.close();
  recordSummary('pages', counts);
});

/** Visits `url` at `width`, recording counts; the caller closes the page. */
async function load(url, width) {
  const result = await visit(contexts.get(width), server.origin + url);
  counts.pagesVisited++;
  counts.requestsSeen += result.requests.length;
  const external = result.requests.filter((u) => !isLocalRequest(u));
  counts.externalRequests += external.length;
  counts.scriptErrors += result.errors.length;
  return { ...result, external, counted: result.requests.length };
}

/** Requests made since `load` returned (a search's fetches), added to the counts. */
function later(result) {
  const more = result.requests.slice(result.counted);
  result.counted = result.requests.length;
  counts.requestsSeen += more.length;
  const external = more.filter((u) => !isLocalRequest(u));
  counts.externalRequests += external.length;
  return external;
}

test('the built site has a home page, a demand page and an incident page', () => {
  assert.ok(!noSite, noSite);
  const lines = types.missing.map((m) => `${m.name}: ${m.reason}`);
  assert.equal(lines.length, 0, `missing page type(s) in ${PUBLIC_DIR}:\n${lines.join('\n')}`);
});

for (const { name, reason } of types.skipped) {
  test(`page type ${name}`, { skip: reason }, () => {});
}

for (const { name, url, lang } of types.pages) {
  describe(`page type ${name} (${url})`, () => {
    for (const width of WIDTHS) {
      test(`${width}px: loads, screenshot, WCAG 2.2 AA (axe), no outside requests`, async () => {
        const { page, status, external, failures, errors } = await load(url, width);
        try {
          const shot = path.join(ARTIFACTS_DIR, `${name}-${width}.png`);
          // The print page is very tall; on a busy machine its full-page capture
          // takes longer than the default 30 s.
          await page.screenshot({ path: shot, fullPage: true, timeout: 120_000 });
          counts.screenshots++;
          const violations = await runAxe(page);
          counts.axeViolations += violations.length;

          const problems = [];
          if (status !== 200) problems.push(`HTTP status ${status}, expected 200`);
          const declared = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
          if (lang && (declared.lang !== lang || declared.dir !== (DIRECTIONS[lang] ?? 'ltr')))
            problems.push(`<html lang="${declared.lang}" dir="${declared.dir}">, expected lang="${lang}" dir="${DIRECTIONS[lang] ?? 'ltr'}"`);
          // Nothing wider than the window: a reader never scrolls sideways
          // (tables scroll inside their own region).
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 0) problems.push(`the page is ${overflow}px wider than the ${width}px window`);
          if (external.length) problems.push(`requests leaving this machine:\n${external.map((u) => `  ${u}`).join('\n')}`);
          counts.failedSubresources += failures.length;
          if (failures.length) problems.push(`same-site resources that did not load:\n${failures.map((f) => `  ${f.url}: ${f.why}`).join('\n')}`);
          if (errors.length) problems.push(`uncaught script errors:\n${errors.map((e) => `  ${e}`).join('\n')}`);
          if (violations.length) problems.push(`${violations.length} axe violation(s):\n${formatViolations(violations)}`);
          assert.equal(problems.length, 0, `${url} at ${width}px (screenshot ${path.relative(process.cwd(), shot)}):\n${problems.join('\n')}`);
        } finally {
          await page.close();
        }
      });
    }
  });
}

test('an unknown address gets the 404 page with status 404', { skip: noSite }, async () => {
  const res = await fetch(`${server.origin}/no-such-page-${Date.now()}/`);
  assert.equal(res.status, 404);
  const body = await res.text();
  const notFound = path.join(PUBLIC_DIR, '404.html');
  if (fs.existsSync(notFound)) assert.equal(body, fs.readFileSync(notFound, 'utf8'));
});

const hasPrint = !noSite && fs.existsSync(path.join(PUBLIC_DIR, 'print', 'index.html'));
test('the print edition holds every demand and incident title', { skip: noSite || (!hasPrint && 'no print/index.html in the build yet') }, async () => {
  const { from, titles } = dossierTitles(PUBLIC_DIR, firstH1);
  assert.ok(titles.length > 0, `no demand or incident titles found (from ${from})`);
  const untitled = titles.filter((t) => !t.title);
  assert.equal(untitled.length, 0, `pages without an <h1>: ${untitled.map((t) => `${t.collection}/${t.slug}/`).join(', ')}`);
  const { page } = await load('/print/', 1280);
  try {
    // The print edition is its contents page and the parts it links to
    // (a collection, or a collection's year); every part is read.
    // textContent, not innerText: CSS (text-transform, print-only rules) must
    // not decide whether a title is there.
    let text = normalizeText(await page.evaluate(() => document.body.textContent));
    const parts = await page.evaluate(() =>
      [...document.querySelectorAll('.print-contents a[href]')].map((a) => new URL(a.href).pathname),
    );
    for (const part of parts) {
      assert.match(part, /^\/print\/.+\/$/, `a contents link leaves the print edition: ${part}`);
      const res = await fetch(`${server.origin}${part}`);
      assert.equal(res.status, 200, `${part} answers ${res.status}`);
      const { page: partPage } = await load(part, 1280);
      try {
        text += ' ' + normalizeText(await partPage.evaluate(() => document.body.textContent));
      } finally {
        await partPage.close();
      }
    }
    counts.printTitles = titles.length;
    const absent = titles.filter((t) => !text.includes(normalizeText(t.title)));
    assert.equal(
      absent.length,
      0,
      `print edition (${parts.length} part(s)) lacks ${absent.length} of ${titles.length} title(s) (titles from ${from}):\n${absent.map((t) => `  ${t.collection}/${t.slug}: ${t.title}`).join('\n')}`,
    );
  } finally {
    await page.close();
  }
});

const hasPagefind = !noSite && isDir(path.join(PUBLIC_DIR, 'pagefind'));
const noSearch = noSite || (!hasPagefind && 'no pagefind/ index in the build yet: search not testable');

/**
 * Types `query` into the search page at `searchUrl` and checks that the
 * first result is the Haditha incident of the same edition (`prefix`: "" or
 * "/ar"), with nothing fetched off this machine and every index file
 * found. Returns the loaded page (open) and the URLs it requested.
 */
async function searchFindsHaditha(searchUrl, query, prefix, shot) {
  const folder = subfolders(path.join(PUBLIC_DIR, prefix, 'incidents')).find((f) => f.includes('haditha')) ?? 'haditha-2005';
  const expected = `${prefix}/incidents/${folder}/`;
  const loaded = await load(searchUrl, 1280);
  const { page } = loaded;
  const input = page
    .locator('input[type="search"], input[role="searchbox"], [role="search"] input, .pagefind-ui__search-input, input[name="q"]')
    .first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // Links already on the page (navigation, footer) are not results.
  await page.evaluate(() => document.querySelectorAll('a').forEach((a) => a.setAttribute('data-before-search', '')));
  await input.click();
  await input.pressSequentially(query, { delay: 40 });
  const handle = await page.waitForFunction(
    () => {
      const pagefind = document.querySelector('.pagefind-ui__result-link[href]');
      const first = pagefind ?? [...document.querySelectorAll('a[href]')].find((a) => !a.hasAttribute('data-before-search'));
      return first ? first.href : null;
    },
    null,
    { timeout: 20_000 },
  ).catch(() => null);
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, shot), fullPage: true });
  assert.ok(handle, `no search result link appeared within 20 s of typing "${query}"`);
  const href = await handle.jsonValue();
  const got = new URL(href).pathname.replace(/index\.html$/, '');
  assert.equal(got, expected, `first search result for "${query}" is ${href}, expected ${expected}`);
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  const external = [...loaded.external, ...later(loaded)];
  counts.failedSubresources += loaded.failures.length;
  assert.deepEqual(
    loaded.failures.map((f) => `${f.url}: ${f.why}`),
    [],
    'same-site resources that did not load on the search page (result images, index files)',
  );
  assert.deepEqual(external, [], 'the search page made requests off this machine');
  assert.deepEqual(loaded.errors, [], 'uncaught script errors on the search page');
  return loaded;
}

test('searching "Haditha" finds the Haditha incident first', { skip: noSearch }, async () => {
  const { page } = await searchFindsHaditha('/search/', 'Haditha', '', 'search-haditha-1280.png');
  await page.close();
});

const hasArabic = !noSite && languageFolders(PUBLIC_DIR).includes('ar');
test('searching "حديثة" on /ar/search/ finds the Arabic Haditha incident first, from the Arabic index, with Arabic filters', { skip: noSearch || (!hasArabic && 'no Arabic edition in the build') }, async () => {
  const { page, requests } = await searchFindsHaditha('/ar/search/', 'حديثة', '/ar', 'search-haditha-ar-1280.png');
  try {
    // Pagefind loads the index of the page's <html lang>: the Arabic one.
    const meta = requests.filter((u) => /\/pagefind\/pagefind\.[a-z-]+_[0-9a-f]+\.pf_meta$/.test(u));
    assert.ok(meta.length > 0 && meta.every((u) => /pagefind\.ar_/.test(u)), `index metadata loaded: ${meta.join(', ') || 'none'}`);
    // Every result is a page of the Arabic edition.
    const links = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    const english = links.filter((l) => !l.startsWith('/ar/'));
    assert.deepEqual(english, [], 'results outside the Arabic edition');
    // Filter names and the values of words the model knows are Arabic.
    const names = await page.locator('.pagefind-ui__filter-name').allTextContents();
    assert.ok(names.length > 0, 'the search page shows no filter');
    const latin = names.filter((n) => /[A-Za-z]/.test(n));
    assert.deepEqual(latin, [], `filter names not in Arabic: ${latin.join(', ')}`);
    const block = page.locator('.pagefind-ui__filter-block', { hasText: 'القسم' }).first();
    await block.locator('summary').click();
    const values = await block.locator('label').allTextContents();
    assert.ok(values.some((v) => v.includes('الحوادث')), `section values: ${values.join(', ')}`);
    assert.ok(!values.some((v) => /incidents|demands/.test(v)), `section values: ${values.join(', ')}`);
  } finally {
    await page.close();
  }
});

test('filtering search results by governorate narrows them to incidents there', { skip: noSearch }, async () => {
  const { page } = await load('/search/', 1280);
  try {
    const input = page.locator('.pagefind-ui__search-input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.click();
    await input.pressSequentially('civilians', { delay: 40 });
    const total = async () => {
      const text = await page.locator('.pagefind-ui__message').first().innerText({ timeout: 20_000 });
      const match = text.match(/([\d,]+)\s+result/);
      return match ? Number(match[1].replace(/,/g, '')) : 0;
    };
    await page.waitForFunction(() => /\d+\s+result/.test(document.querySelector('.pagefind-ui__message')?.textContent ?? ''), null, { timeout: 20_000 });
    const before = await total();
    assert.ok(before > 1, `searching "civilians" found ${before} results`);
    const block = page.locator('.pagefind-ui__filter-block', { hasText: 'governorate' }).first();
    await block.locator('summary').click();
    await block.locator('label', { hasText: 'Anbar' }).first().click();
    await page.waitForFunction(
      (n) => {
        const m = (document.querySelector('.pagefind-ui__message')?.textContent ?? '').match(/([\d,]+)\s+result/);
        return m && Number(m[1].replace(/,/g, '')) !== n;
      },
      before,
      { timeout: 20_000 },
    );
    const after = await total();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'search-filter-anbar-1280.png'), fullPage: true });
    assert.ok(after > 0 && after < before, `the Anbar filter left ${after} of ${before} results`);
    const links = await page.locator('.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
    assert.ok(links.length > 0);
    for (const link of links) {
      assert.match(link, /^\/incidents\//, `${link} is not an incident, yet passed the governorate filter`);
    }
  } finally {
    await page.close();
  }
});

const hasMap = !noSite && fs.existsSync(path.join(PUBLIC_DIR, 'map', 'index.html'));
test('the map has one link per marker, each to a page that exists, and incident pages have locator maps', { skip: noSite || (!hasMap && 'no map/index.html in the build (no geography data)') }, async () => {
  const { page } = await load('/map/', 1280);
  try {
    const markers = await page.evaluate(() =>
      [...document.querySelectorAll('svg.map .map-markers a')].map((a) => ({
        href: new URL(a.getAttribute('href'), document.baseURI).href,
        name: a.getAttribute('aria-label'),
      })),
    );
    assert.ok(markers.length > 0, 'the map has no marker');
    const unnamed = markers.filter((m) => !m.name);
    assert.equal(unnamed.length, 0, `markers without an accessible name: ${unnamed.map((m) => m.href).join(', ')}`);
    // Every marker's target exists, and an incident's target shows a locator.
    for (const { href } of markers) {
      const target = new URL(href);
      const file = path.join(PUBLIC_DIR, decodeURIComponent(target.pathname));
      assert.ok(fs.existsSync(file), `marker link ${target.pathname} leads nowhere`);
      if (target.pathname.startsWith('/incidents/')) {
        assert.match(fs.readFileSync(file, 'utf8'), /<svg class="locator"/, `${target.pathname} has no locator map`);
      }
    }
    // The map and its table tell the same count.
    const tableTotal = await page.evaluate(() =>
      [...document.querySelectorAll('.map-table tbody tr td:nth-of-type(1)')].reduce((n, td) => n + Number(td.textContent), 0),
    );
    const placed = await page.evaluate(() =>
      [...document.querySelectorAll('svg.map .map-markers > *')].reduce((n, m) => n + (Number(m.querySelector('.map-count')?.textContent) || 1), 0),
    );
    assert.equal(placed, tableTotal, 'markers and table count different incidents');
    // A print of the map fits on one page.
    await page.emulateMedia({ media: 'print' });
    const height = await page.evaluate(() => document.querySelector('svg.map').getBoundingClientRect().height);
    assert.ok(height > 200 && height < 19 * 37.8 + 1, `the printed map is ${height}px high`);
  } finally {
    await page.close();
  }
});
