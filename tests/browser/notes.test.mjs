// Note markers sit on the word they follow: at 390 px, in English and
// Arabic, no marker starts a line, and no full stop or comma after a marker
// starts one either. Every incident page of each edition is laid out, and
// each marker's box is compared with the boxes of the characters on either
// side of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUBLIC_DIR, publicExists } from './lib/env.mjs';
import { languageFolders } from './lib/pages.mjs';
import { subfolders } from './lib/files.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { recordSummary } from './lib/summary.mjs';

const noSite = publicExists() ? false : `no built site at ${PUBLIC_DIR}`;
const counts = { pages: 0, markers: 0, stops: 0, detached: 0 };
let browser;
let context;

before(async () => {
  if (noSite) return;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
});

after(async () => {
  await browser?.close();
  recordSummary('notes', counts);
});

/** In the page: each marker that is not on the line of the character before it, or whose following stop is not on its line. */
function detachedMarkers() {
  const sameLine = (a, b) => a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const charBox = (node, at) => {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    const rects = range.getClientRects();
    return rects.length ? rects[rects.length - 1] : null;
  };
  // The text node next to `el` in document order, in direction `dir`.
  const textBeside = (el, dir) => {
    const walker = document.createTreeWalker(el.closest('p, li, td, dd, blockquote') ?? document.body, NodeFilter.SHOW_TEXT);
    walker.currentNode = el;
    let node = dir < 0 ? walker.previousNode() : walker.nextNode();
    while (node && el.contains(node)) node = dir < 0 ? walker.previousNode() : walker.nextNode();
    while (node && node.textContent.length === 0) node = dir < 0 ? walker.previousNode() : walker.nextNode();
    return node;
  };
  const found = [];
  let markers = 0;
  let stops = 0;
  for (const sup of document.querySelectorAll('main sup.note-ref')) {
    const box = sup.getBoundingClientRect();
    if (box.width === 0) continue;
    markers++;
    const before = textBeside(sup, -1);
    if (before) {
      const text = before.textContent;
      const b = charBox(before, text.length - 1);
      if (/\s$/.test(text) || (b && !sameLine(b, box))) found.push(`marker ${sup.textContent} after "${text.slice(-20)}"`);
    }
    const next = textBeside(sup, 1);
    if (next && /^[.,;:\u060c\u061b)\u00bb\u201d]/.test(next.textContent)) {
      stops++;
      const a = charBox(next, 0);
      if (a && !sameLine(a, box)) found.push(`"${next.textContent[0]}" after marker ${sup.textContent}`);
    }
  }
  return { found, markers, stops };
}

test('no note marker, and no stop after one, starts a line at 390 px, in each edition', { skip: noSite }, async () => {
  const page = await context.newPage();
  try {
    for (const prefix of ['', ...languageFolders(PUBLIC_DIR)]) {
      for (const folder of subfolders(path.join(PUBLIC_DIR, prefix, 'incidents'))) {
        const file = path.join(PUBLIC_DIR, prefix, 'incidents', folder, 'index.html');
        if (!fs.existsSync(file)) continue;
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        counts.pages++;
        const { found, markers, stops } = await page.evaluate(detachedMarkers);
        counts.markers += markers;
        counts.stops += stops;
        counts.detached += found.length;
        assert.deepEqual(found, [], `${prefix}/incidents/${folder}/`);
      }
    }
    assert.ok(counts.markers > 100, `only ${counts.markers} markers laid out`);
    assert.ok(counts.stops > 10, `only ${counts.stops} stops after markers`);
  } finally {
    await page.close();
  }
});
