// A list long enough to go on over several pages, in both editions of a
// generated bilingual dossier: the pages pass WCAG 2.2 AA (axe) at phone and
// desktop widths with no sideways scrolling, the pager's links are large
// enough to tap, and a reader reaches the next page and a year that begins
// on another page by following the links.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DOSSIER, write } from './lib/cms.mjs';
import { startServer } from './lib/server.mjs';
import { WIDTHS, launchBrowser, openContext, visit, runAxe, formatViolations } from './lib/browser.mjs';
import { ARTIFACTS_DIR, ensureArtifactsDir } from './lib/env.mjs';

// 450 incidents: 2006 holds the first 250 (newest first), so 2005 begins
// on the list's second page.
const INCIDENTS = 450;

function longSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-lists-'));
  write(root, 'site.toml', 'title = "Long lists"\ndefault_language = "en"\n\n[languages.en]\nname = "English"\n\n[languages.ar]\nname = "العربية"\ndirection = "rtl"\n\n[build]\nsearch = false\n\n[check]\nuncited_paragraphs = "off"\nsources_without_copy = "off"\n');
  write(root, 'content/actors/us-marine-corps.md', '---\ntitle: US Marine Corps\nkind: armed-force\n---\n');
  write(root, 'content/actors/amnesty.md', '---\ntitle: Amnesty International\nkind: ngo\n---\n');
  write(root, 'content/sources/amnesty-2023.md', '---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\ndate: 2023-03-20\nperspective: An independent human-rights organisation.\n---\n');
  for (let i = 0; i < INCIDENTS; i++) {
    const year = i < 250 ? 2006 : 2005;
    const month = String((i % 12) + 1).padStart(2, '0');
    const day = String((i % 28) + 1).padStart(2, '0');
    write(root, `content/incidents/incident-${String(i).padStart(4, '0')}.md`, `---\ntitle: Incident number ${i}\nsummary: What was reported of case ${i}.\ndate: ${year}-${month}-${day}\nperpetrators: [us-marine-corps]\nsources: [amnesty-2023]\ntags: [checkpoint]\n---\nWhat happened in case ${i}.\n`);
  }
  write(root, 'content/incidents/incident-0000.ar.md', '---\ntitle: الحادثة رقم 0\n---\nما جرى في الحالة 0.\n');
  return root;
}

let root;
let out;
let server;
let browser;

before(async () => {
  ensureArtifactsDir();
  root = longSite();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-lists-out-'));
  execFileSync(DOSSIER, ['build', '--root', root, '--output', out], { stdio: 'pipe' });
  server = await startServer(out);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of [root, out]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

for (const [edition, dir] of [['', 'ltr'], ['ar/', 'rtl']]) {
  for (const width of WIDTHS) {
    test(`${edition || 'en/'}incidents/page/2/ at ${width}px: WCAG 2.2 AA, no sideways scrolling, pager links large enough to tap`, async () => {
      const context = await openContext(browser, width);
      try {
        const url = `${server.origin}/${edition}incidents/page/2/index.html`;
        const { page, status, failures, errors } = await visit(context, url);
        const shot = path.join(ARTIFACTS_DIR, `list-page-2-${edition ? 'ar' : 'en'}-${width}.png`);
        await page.screenshot({ path: shot, fullPage: true, timeout: 120_000 });
        assert.equal(status, 200, url);
        assert.deepEqual(failures, [], url);
        assert.deepEqual(errors, [], url);
        assert.equal(await page.evaluate(() => document.documentElement.dir), dir);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `${url} at ${width}px:\n${formatViolations(violations)}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${url} is ${overflow}px wider than the ${width}px window`);
        const links = page.locator('nav.pager a');
        // Previous, three numbers, next.
        assert.equal(await links.count(), 5, url);
        for (const box of await links.evaluateAll((as) => as.map((a) => a.getBoundingClientRect().toJSON()))) {
          assert.ok(box.width >= 44 && box.height >= 44, `a pager link of ${box.width}×${box.height}px at ${width}px`);
        }
        assert.equal(await page.locator('nav.pager [aria-current="page"]').count(), 1);
      } finally {
        await context.close();
      }
    });
  }
}

test('a reader goes from the first page to the next by its link, and to a year that begins on another page', async () => {
  const context = await openContext(browser, 375);
  try {
    const { page } = await visit(context, `${server.origin}/incidents/index.html`);
    await page.locator('nav.pager a[rel="next"]').click();
    await page.waitForURL(/\/incidents\/page\/2\/index\.html$/);
    assert.match(await page.locator('h1').innerText(), /450/);
    // Incident 250 is the newest of 2005, the first entry after 2006's 250.
    assert.ok(await page.getByRole('link', { name: 'Incident number 250', exact: true }).count());

    await page.goto(`${server.origin}/incidents/index.html`);
    await page.locator('nav.jump a', { hasText: '2005' }).click();
    await page.waitForURL(/\/incidents\/page\/2\/index\.html#y2005$/);
    await page.waitForLoadState('load');
    const heading = page.locator('#y2005');
    assert.equal(await heading.count(), 1);
    // The browser scrolls to the heading once the page has loaded.
    const top = await page
      .waitForFunction(() => {
        const at = document.getElementById('y2005').getBoundingClientRect().top;
        return at >= 0 && at < 200 ? at : false;
      }, null, { timeout: 5_000 })
      .then((h) => h.jsonValue())
      .catch(() => heading.evaluate((h) => h.getBoundingClientRect().top));
    assert.ok(top >= 0 && top < 200, `the 2005 heading is at ${top}px, not at the top of the window`);
  } finally {
    await context.close();
  }
});

test('the Arabic pager writes its numbers in Arabic-Indic digits and the tag page goes on too', async () => {
  const context = await openContext(browser, 1280);
  try {
    const { page } = await visit(context, `${server.origin}/ar/incidents/index.html`);
    const numbers = await page.locator('nav.pager li a').allInnerTexts();
    assert.ok(numbers.includes('٢'), numbers.join(' '));
    const { status } = await visit(context, `${server.origin}/tags/checkpoint/page/3/index.html`);
    assert.equal(status, 200);
    const { status: none } = await visit(context, `${server.origin}/tags/checkpoint/page/4/index.html`);
    assert.equal(none, 404);
  } finally {
    await context.close();
  }
});
