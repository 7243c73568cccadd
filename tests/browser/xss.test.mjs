// The XSS corpus: a dossier generated from xss/payloads.json (hostile
// strings in every front-matter text field, every URL field, Markdown
// bodies with raw HTML, URL forms and entity tricks, and archived file
// names), built with `raw_html = "escape"` (the default) and `"sanitize"`.
// Chromium visits every page of both, the search page (over http and from
// the folder) with a query and every filter opened, and the print page,
// with the pages' own CSP bypassed so that escaping is tested on its own; any dialog, any call of
// a payload's function, any javascript: navigation, or any live handler or
// script URL in the DOM fails. The payloads the build must refuse (script
// URLs) are checked to be refused, each at its file.
//
// DOSSIER_BIN: the binary (default target/release/dossier).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './lib/env.mjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { openGuardedContext, guardedPage, report, liveMarkup, visitAll, openSearch } from './lib/guard.mjs';
import { writeSite, writeRefusedSite, payloadCount } from './lib/xss-site.mjs';
import { recordSummary } from './lib/summary.mjs';

const BIN = process.env.DOSSIER_BIN ? path.resolve(process.env.DOSSIER_BIN) : path.join(REPO_ROOT, 'target', 'release', 'dossier');
const noBin = fs.existsSync(BIN) ? false : `no dossier binary at ${BIN} (cargo build --release, or set DOSSIER_BIN)`;
// XSS_MODES=escape (or sanitize) runs one of the two builds.
const MODES = process.env.XSS_MODES ? process.env.XSS_MODES.split(',') : ['escape', 'sanitize'];
// Pages open this many at a time (XSS_CONCURRENCY), each in its own tab.
const CONCURRENCY = Number(process.env.XSS_CONCURRENCY ?? 3);
const counts = { payloads: payloadCount(), pagesVisited: 0, searches: 0, filtersOpened: 0, executions: 0, dialogs: 0, navigations: 0, liveMarkup: 0, refused: 0 };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-xss-'));
let browser;
let context;

before(async () => {
  if (noBin) return;
  browser = await launchBrowser();
  context = await openGuardedContext(browser, { bypassCSP: true });
});

after(async () => {
  await browser?.close();
  fs.rmSync(work, { recursive: true, force: true });
  recordSummary('xss', counts);
  console.log(`xss corpus: ${counts.payloads} payloads, ${counts.pagesVisited} pages visited, ${counts.executions} executions, ${counts.dialogs} dialogs, ${counts.navigations} javascript: navigations, ${counts.liveMarkup} live markup`);
});

function htmlPages(root) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (!['files', 'pagefind'].includes(relative)) walk(full);
      } else if (entry.name.endsWith('.html')) pages.push(relative);
    }
  };
  walk(root);
  return pages.sort();
}

function assertInert(where, got, live) {
  counts.executions += got.executions.length;
  counts.dialogs += got.dialogs.length;
  counts.navigations += got.navigations.length;
  counts.liveMarkup += live.length;
  assert.deepEqual(got.executions, [], `${where}: a payload ran`);
  assert.deepEqual(got.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(got.navigations, [], `${where}: a javascript: navigation`);
  assert.deepEqual(live, [], `${where}: live script in the DOM`);
}

for (const mode of MODES) {
  test(`every page of the corpus built with raw_html = "${mode}" runs no payload`, { skip: noBin }, async () => {
    const site = path.join(work, mode);
    writeSite(site, mode);
    const output = path.join(site, 'public');
    const built = spawnSync(BIN, ['build', '--root', site, '--output', output], { encoding: 'utf8' });
    assert.equal(built.status, 0, `the corpus did not build:\n${built.stderr.slice(-3000)}`);
    const server = await startServer(output);
    try {
      const pages = htmlPages(output);
      assert.ok(pages.length > 200, `only ${pages.length} pages`);
      assert.ok(pages.includes('print/index.html') && pages.includes('search/index.html'));
      await visitAll(context, pages.map((file) => `${server.origin}/${file.replace(/index\.html$/, '')}`), {
        concurrency: CONCURRENCY,
        // Focus and hover everything a payload could hang a handler on.
        prepare: async (page) => {
          await page.keyboard.press('Tab').catch(() => {});
          // From a corner, so that the tab's last pointer place is left.
          await page.mouse.move(0, 0).catch(() => {});
          await page.mouse.move(200, 200).catch(() => {});
          await page.waitForTimeout(50);
        },
        check: async (page, got, url) => {
          counts.pagesVisited++;
          assertInert(`${mode} ${url}`, got, await liveMarkup(page));
        },
      });
      const { page, seen } = await guardedPage(context);
      try {
        const input = await openSearch(page, server.origin, counts);
        for (const query of ['xss', 'img', 'script']) {
          await input.fill(query);
          counts.searches++;
          await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 20_000 });
          const summaries = page.locator('.pagefind-ui__filter-panel summary, .pagefind-ui__filter-block summary');
          const n = await summaries.count();
          assert.ok(n > 0, 'no filters appeared');
          for (let i = 0; i < n; i++) {
            await summaries.nth(i).click().catch(() => {});
            counts.filtersOpened++;
          }
          // Pick the first value of each filter too: its label is content.
          const boxes = page.locator('.pagefind-ui__filter-checkbox');
          const m = Math.min(await boxes.count(), 12);
          for (let i = 0; i < m; i++) await boxes.nth(i).check({ timeout: 2_000 }).catch(() => {});
          await page.waitForTimeout(800);
          assertInert(`${mode} /search/?${query}`, await report(page, seen), await liveMarkup(page));
          for (let i = 0; i < m; i++) await boxes.nth(i).uncheck({ timeout: 2_000 }).catch(() => {});
        }
      } finally {
        await page.close();
      }
      // The same from the folder, where the search page searches its folder
      // index: every result, excerpt and filter value is content.
      const folder = await guardedPage(context);
      try {
        await folder.page.goto(pathToFileURL(path.join(output, 'search', 'index.html')).href, { waitUntil: 'load' });
        const input = folder.page.locator('#folder-search input[type="search"]');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        for (const query of ['xss', 'img', 'script']) {
          await input.fill(query);
          counts.searches++;
          await folder.page.locator('#folder-search .folder-results li').first().waitFor({ timeout: 10_000 });
          // Opened, not toggled: a click on the second query would close it.
          await folder.page.evaluate(() => { document.querySelector('#folder-search details.folder-filters').open = true; });
          const selects = folder.page.locator('#folder-search select');
          const n = await selects.count();
          assert.ok(n > 0, 'no filters appeared in the folder search');
          // The first value of each filter: its text is content.
          for (let i = 0; i < n; i++) {
            await selects.nth(i).selectOption({ index: 1 }, { timeout: 2_000 });
            counts.filtersOpened++;
          }
          assertInert(`${mode} file:// search/?${query}`, await report(folder.page, folder.seen), await liveMarkup(folder.page));
          for (let i = 0; i < n; i++) await selects.nth(i).selectOption({ index: 0 }, { timeout: 2_000 });
        }
      } finally {
        await folder.page.close();
      }
    } finally {
      await server.close();
    }
  });
}

test('every script URL of the corpus is refused by the build, at its file', { skip: noBin }, () => {
  const site = path.join(work, 'refused');
  const written = writeRefusedSite(site);
  const run = spawnSync(BIN, ['check', '--root', site, '--format', 'json'], { encoding: 'utf8' });
  assert.notEqual(run.status, 0, 'the build accepted script URLs');
  const problems = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const { payload, file } of written) {
    const refused = problems.some((p) => p.code === 'E0313' && p.path?.endsWith(file));
    assert.ok(refused, `${JSON.stringify(payload)} in ${file} was not refused`);
    counts.refused++;
  }
});

