// The Content-Security-Policy of every page type, in Chromium with the
// policy enforced: each page carries one, nothing it does is refused, and
// the search page still works (its start-up script is allowed by hash, the
// Pagefind index by 'wasm-unsafe-eval') with a query typed and every filter
// opened. A page that loads from elsewhere, or runs an inline script
// without its hash, fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLIC_DIR, publicExists } from './lib/env.mjs';
import { pageTypes } from './lib/pages.mjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { openGuardedContext, guardedPage, report, visitAll, openSearch } from './lib/guard.mjs';
import { recordSummary } from './lib/summary.mjs';

const noSite = publicExists() ? false : `no built site at ${PUBLIC_DIR}`;
const hasPagefind = !noSite && fs.existsSync(path.join(PUBLIC_DIR, 'pagefind'));
const counts = { pagesVisited: 0, violations: 0 };
let server;
let browser;
let context;

before(async () => {
  if (noSite) return;
  server = await startServer(PUBLIC_DIR);
  browser = await launchBrowser();
  context = await openGuardedContext(browser);
});

after(async () => {
  await browser?.close();
  await server?.close();
  recordSummary('csp', counts);
});

function assertQuiet(url, got) {
  counts.violations += got.violations.length + got.console.length;
  assert.deepEqual(got.violations, [], `${url}: the policy refused something`);
  assert.deepEqual(got.console, [], `${url}: the console reports the policy`);
  assert.deepEqual(got.errors, [], `${url}: uncaught script errors`);
}

test('every page type carries a policy and breaks none of it', { skip: noSite }, async () => {
  const { pages } = pageTypes(PUBLIC_DIR);
  assert.ok(pages.length > 5, 'too few page types');
  await visitAll(context, pages.map(({ url }) => server.origin + url), {
    prepare: (page) => page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {}),
    check: async (page, got, url) => {
      counts.pagesVisited++;
      const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
      assert.ok(policy && policy.includes("default-src 'none'"), `${url}: no policy`);
      assert.ok(!/https?:|\*/.test(policy), `${url}: the policy names another origin: ${policy}`);
      assertQuiet(url, got);
    },
  });
});

test('search runs under the policy, with a query and every filter opened', { skip: noSite || (!hasPagefind && 'no pagefind/ in the build') }, async () => {
  const { page, seen } = await guardedPage(context);
  try {
    const input = await openSearch(page, server.origin, counts);
    await input.fill('civilians');
    await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 20_000 });
    const groups = page.locator('.pagefind-ui__filter-panel details, .pagefind-ui__filter-block');
    const n = await groups.count();
    for (let i = 0; i < n; i++) await groups.nth(i).locator('summary').first().click().catch(() => {});
    await page.waitForTimeout(500);
    assert.ok(n > 0, 'no search filters appeared');
    assertQuiet('/search/?civilians', await report(page, seen));
  } finally {
    await page.close();
  }
});

test('pages opened from the folder (file://) break none of the policy', { skip: noSite }, async () => {
  for (const file of ['index.html', 'print/index.html', 'search/index.html']) {
    const { page, seen } = await guardedPage(context);
    try {
      await page.goto(pathToFileURL(path.join(PUBLIC_DIR, file)).href, { waitUntil: 'load' });
      counts.pagesVisited++;
      // The stylesheet applied: the skip link is moved off-screen by it.
      const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.skip-link') ?? document.body).position);
      assert.notEqual(styled, 'static', `${file}: the stylesheet did not apply from file://`);
      assertQuiet(file, await report(page, seen));
    } finally {
      await page.close();
    }
  }
});
