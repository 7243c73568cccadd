// Checks on the built files themselves, no browser needed: every page is
// valid HTML, and every link and resource reference resolves.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR, publicExists } from './lib/env.mjs';
import { sitePages } from './lib/files.mjs';
import { validateHtml } from './lib/html.mjs';
import { checkLinks, checkNotes } from './lib/links.mjs';
import { recordSummary } from './lib/summary.mjs';

const counts = { htmlFilesValidated: 0, htmlErrors: 0, linksChecked: 0, externalLinks: 0, brokenLinks: 0, citationNotes: 0, brokenNotes: 0 };
after(() => recordSummary('static', counts));

const noSite = publicExists() ? false : `no built site at ${PUBLIC_DIR} (run scripts/browser-test.sh, or set DOSSIER_PUBLIC)`;

test('the built site exists', () => {
  assert.ok(!noSite, noSite);
  assert.ok(sitePages(PUBLIC_DIR).length > 0, `no .html files in ${PUBLIC_DIR}`);
});

test('every page is valid HTML (html-validate)', { skip: noSite }, async () => {
  const problems = [];
  for (const rel of sitePages(PUBLIC_DIR)) {
    const source = fs.readFileSync(path.join(PUBLIC_DIR, rel), 'utf8');
    const messages = await validateHtml(source, rel);
    counts.htmlFilesValidated++;
    for (const m of messages.filter((m) => m.severity === 2)) {
      problems.push(`${rel}:${m.line}:${m.column}: ${m.message} [${m.ruleId}]`);
    }
  }
  counts.htmlErrors = problems.length;
  assert.equal(problems.length, 0, `${problems.length} HTML error(s):\n${problems.join('\n')}`);
});

test('every link and resource resolves; outside URLs only as <a href>', { skip: noSite }, () => {
  const result = checkLinks(PUBLIC_DIR);
  counts.linksChecked = result.checked;
  counts.externalLinks = result.external;
  counts.brokenLinks = result.broken.length;
  const lines = result.broken.map((b) => `${b.file}:${b.line}:${b.column}: ${b.ref}: ${b.reason}`);
  assert.equal(lines.length, 0, `${lines.length} broken link(s):\n${lines.join('\n')}`);
});

test('every citation note reference leads to its note, and every note back to it', { skip: noSite }, () => {
  const result = checkNotes(PUBLIC_DIR);
  counts.citationNotes = result.notes;
  counts.brokenNotes = result.broken.length;
  const lines = result.broken.map((b) => `${b.file}:${b.line}:${b.column}: ${b.ref}: ${b.reason}`);
  assert.equal(lines.length, 0, `${lines.length} broken note(s):\n${lines.join('\n')}`);
});
