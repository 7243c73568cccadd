// Dossiers about five countries of different shapes and scripts, each made by
// `dossier init --country XX` with an incident in one of its divisions: the
// incident page and the map pass WCAG 2.2 AA (axe) at phone and desktop
// widths with no sideways scrolling, the map draws the country's divisions,
// and its marker leads to the incident. The five sites are built once, into
// one folder that one server serves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DOSSIER, write } from './lib/cms.mjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openContext, visit, runAxe, formatViolations } from './lib/browser.mjs';
import { ARTIFACTS_DIR, ensureArtifactsDir } from './lib/env.mjs';

const WIDTHS = [390, 1280];

// A division of each country by its English name, one by its Arabic name,
// and a point inside the first.
const COUNTRIES = [
  { code: 'SY', region: 'Aleppo', arabic: 'درعا', lat: 36.2, lon: 37.15 },
  { code: 'CO', region: 'Antioquia', arabic: 'كاوكا', lat: 6.25, lon: -75.56 },
  { code: 'MM', region: 'Rakhine State', arabic: 'شان', lat: 20.15, lon: 92.9 },
  { code: 'UA', region: 'Kharkiv', arabic: 'لفيف', lat: 49.99, lon: 36.23 },
  { code: 'SD', region: 'North Darfur', arabic: 'الخرطوم', lat: 13.63, lon: 25.35 },
];

function incident(root, slug, place) {
  write(
    root,
    `content/incidents/${slug}.md`,
    `---\ntitle: Incident in ${slug}\nsummary: What happened there.\ndate: 2024-03\nplace: ${place}\nperpetrators: [example-force]\nverification: single-source\nsources: [{source: example-report, locator: "para. 1"}]\n---\n\nWhat happened [@example-report, para. 1].\n`,
  );
}

let work;
let server;
let browser;

before(async () => {
  ensureArtifactsDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-countries-'));
  const out = path.join(work, 'public');
  fs.mkdirSync(out);
  for (const c of COUNTRIES) {
    const root = path.join(work, c.code);
    execFileSync(DOSSIER, ['init', root, '--host', 'none', '--country', c.code], { stdio: 'pipe' });
    incident(root, 'by-name', `{name: A town, region: ${c.region}, lat: ${c.lat}, lon: ${c.lon}}`);
    incident(root, 'by-arabic-name', `{name: Another town, region: ${c.arabic}}`);
    execFileSync(DOSSIER, ['build', '--root', root, '--output', path.join(out, c.code)], { stdio: 'pipe' });
  }
  server = await startServer(out);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function check(page, url, width) {
  const violations = await runAxe(page);
  assert.equal(violations.length, 0, `${url} at ${width}px:\n${formatViolations(violations)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${url} is ${overflow}px wider than the ${width}px window`);
}

for (const c of COUNTRIES) {
  for (const width of WIDTHS) {
    test(`${c.code}: the incident page and the map at ${width}px`, async () => {
      const context = await openContext(browser, width);
      try {
        const incidentUrl = `${server.origin}/${c.code}/incidents/by-name/index.html`;
        const shown = await visit(context, incidentUrl);
        assert.equal(shown.status, 200, incidentUrl);
        assert.deepEqual(shown.failures, [], incidentUrl);
        assert.deepEqual(shown.errors, [], incidentUrl);
        await shown.page.screenshot({ path: path.join(ARTIFACTS_DIR, `countries-${c.code}-${width}.png`), fullPage: true });
        assert.equal(await shown.page.locator('svg.locator').count(), 1, `${incidentUrl} has a locator map`);
        await check(shown.page, incidentUrl, width);

        const mapUrl = `${server.origin}/${c.code}/map/index.html`;
        const map = await visit(context, mapUrl);
        assert.equal(map.status, 200, mapUrl);
        assert.deepEqual(map.failures, [], mapUrl);
        await map.page.screenshot({ path: path.join(ARTIFACTS_DIR, `countries-${c.code}-map-${width}.png`), fullPage: true });
        assert.ok((await map.page.locator('.map-regions path').count()) > 3, `${mapUrl} draws the divisions`);
        assert.equal(await map.page.locator(`.map-labels text:text-is("${c.region}")`).count(), 1, `${mapUrl} names ${c.region}`);
        const markers = map.page.locator('.map-markers a');
        assert.equal(await markers.count(), 2, mapUrl);
        const hrefs = await markers.evaluateAll((as) => as.map((a) => new URL(a.getAttribute('href'), location.href).href));
        assert.ok(hrefs.includes(incidentUrl), `${mapUrl} links to the incident: ${hrefs}`);
        await check(map.page, mapUrl, width);
      } finally {
        await context.close();
      }
    });
  }
}
