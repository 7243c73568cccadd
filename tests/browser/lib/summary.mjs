// Run summary: each test file records its counts in artifacts/summary-<name>.json
// and prints them; scripts/browser-test.sh prints the whole run's totals.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ARTIFACTS_DIR, ensureArtifactsDir } from './env.mjs';

const LABELS = {
  pageTypes: 'page types',
  pagesVisited: 'pages visited',
  screenshots: 'screenshots',
  requestsSeen: 'requests seen',
  externalRequests: 'external requests',
  failedSubresources: 'failed subresources',
  scriptErrors: 'script errors',
  axeViolations: 'axe violations',
  htmlFilesValidated: 'html files validated',
  htmlErrors: 'html errors',
  linksChecked: 'links checked',
  externalLinks: 'external links',
  brokenLinks: 'broken links',
  printTitles: 'print titles checked',
};

export function format(counts) {
  return Object.entries(counts)
    .map(([k, v]) => `${LABELS[k] ?? k}: ${v}`)
    .join(', ');
}

export function recordSummary(name, counts) {
  ensureArtifactsDir();
  fs.writeFileSync(path.join(ARTIFACTS_DIR, `summary-${name}.json`), JSON.stringify(counts, null, 2) + '\n');
  console.log(`[${name}] ${format(counts)}`);
}

/** The totals of every summary-*.json in artifacts/. */
export function totals() {
  const sum = {};
  if (!fs.existsSync(ARTIFACTS_DIR)) return sum;
  for (const f of fs.readdirSync(ARTIFACTS_DIR).sort()) {
    if (!/^summary-.*\.json$/.test(f)) continue;
    const counts = JSON.parse(fs.readFileSync(path.join(ARTIFACTS_DIR, f), 'utf8'));
    for (const [k, v] of Object.entries(counts)) sum[k] = (sum[k] ?? 0) + v;
  }
  return sum;
}

export function clearSummaries() {
  if (!fs.existsSync(ARTIFACTS_DIR)) return;
  for (const f of fs.readdirSync(ARTIFACTS_DIR)) if (/^summary-.*\.json$/.test(f)) fs.rmSync(path.join(ARTIFACTS_DIR, f));
}

// `node lib/summary.mjs` prints the totals; `node lib/summary.mjs --clear` forgets them.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--clear')) clearSummaries();
  else {
    const t = totals();
    const order = Object.keys(LABELS).filter((k) => k in t);
    console.log(
      Object.keys(t).length === 0
        ? 'browser suite summary: no counts recorded'
        : `browser suite summary: ${format(Object.fromEntries(order.map((k) => [k, t[k]])))}`,
    );
  }
}
