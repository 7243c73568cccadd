// Search quality on a generated corpus: for incidents whose title no other
// incident shares, types the title into the built site's search page (which
// merges every index bundle) and checks that the incident is the first
// result. Needs the browser suite's packages (scripts/browser-test.sh
// installs them) and Debian's chromium.
//
//   node benches/search_quality.mjs CORPUS_SITE BUILT_OUTPUT [SAMPLES]
//
// CORPUS_SITE is the dossier folder of benches/gen_corpus.py, BUILT_OUTPUT
// its build with search on. Prints how many of SAMPLES (30 unless given)
// titles, taken evenly from the sorted list of unique ones, came first.
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../tests/browser/lib/server.mjs';
import { launchBrowser, openContext } from '../tests/browser/lib/browser.mjs';

const [site, output, samplesArg] = process.argv.slice(2);
if (!site || !output) {
  console.error('usage: node benches/search_quality.mjs CORPUS_SITE BUILT_OUTPUT [SAMPLES]');
  process.exit(2);
}
const samples = Number(samplesArg ?? 30);

const folder = path.join(site, 'content', 'incidents');
const bySlug = new Map();
for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.md') && !/\.[a-z]{2}\.md$/.test(f))) {
  const title = /^title: "(.*)"$/m.exec(fs.readFileSync(path.join(folder, file), 'utf8'))?.[1];
  if (title) bySlug.set(file.replace(/\.md$/, ''), title);
}
const counts = new Map();
for (const title of bySlug.values()) counts.set(title, (counts.get(title) ?? 0) + 1);
const unique = [...bySlug].filter(([, title]) => counts.get(title) === 1).sort((a, b) => a[1].localeCompare(b[1]));
const step = Math.max(1, Math.floor(unique.length / samples));
const chosen = unique.filter((_, i) => i % step === 0).slice(0, samples);

const server = await startServer(output);
const browser = await launchBrowser();
let first = 0;
const misses = [];
try {
  const context = await openContext(browser, 1280);
  const page = await context.newPage();
  for (const [slug, title] of chosen) {
    await page.goto(`${server.origin}/search/index.html`, { waitUntil: 'load' });
    const input = page.locator('.pagefind-ui__search-input').first();
    await input.waitFor({ timeout: 15_000 });
    await input.fill(title);
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 30_000 });
    // Let the results settle: the UI replaces them as bundles answer.
    await page.waitForTimeout(1_000);
    const href = new URL(await result.evaluate((a) => a.href)).pathname;
    if (href.startsWith(`/incidents/${slug}/`)) first++;
    else misses.push(`${title}: first was ${href}`);
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${first} of ${chosen.length} unique incident titles found first (${unique.length} of ${bySlug.size} titles are unique)`);
for (const miss of misses) console.log(`  ${miss}`);
process.exit(first === chosen.length ? 0 : 1);
