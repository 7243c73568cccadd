// Attachments a browser would run. A build refuses HTML, SVG, XML and
// scripts under content/ (tested in `cargo test`); a site that publishes
// them anyway (`[build] active_attachments = "publish"`) gets them from
// `dossier serve` sandboxed: opened in Chromium, their script does not run
// and cannot reach the site's storage, where the web editor keeps its login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOSSIER, start, write } from './lib/cms.mjs';
import { launchBrowser } from './lib/browser.mjs';

const noBinary = fs.existsSync(DOSSIER) ? false : `no dossier binary at ${DOSSIER}`;

test('attachments published on purpose run no script under serve', { skip: noBinary }, async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-attachments-'));
  write(root, 'site.toml', 'title = "Attachments"\n[build]\nactive_attachments = "publish"\n');
  write(root, 'content/_index.md', '---\ntitle: Home\n---\nWelcome.\n');
  // Each would record that it ran in the site's storage.
  const mark = (name) => `localStorage.setItem('ran-${name}', '1')`;
  write(root, 'content/files/copy.html', `<!doctype html><title>Copy</title><p>Archived.</p><script>${mark('html')}</script>`);
  write(root, 'content/files/map.svg', `<svg xmlns="http://www.w3.org/2000/svg" onload="${mark('svg-onload')}"><script>${mark('svg')}</script></svg>`);
  const serve = await start(DOSSIER, ['serve', '--root', root, '--port', '0'], {}, /localhost:(\d+)\//);
  const browser = await launchBrowser();
  try {
    const base = `http://localhost:${serve.match[1]}/`;
    const page = await browser.newPage();
    for (const file of ['files/copy.html', 'files/map.svg']) {
      const response = await page.goto(base + file);
      assert.equal(response.status(), 200, file);
      assert.match(response.headers()['content-security-policy'] ?? '', /sandbox/, `${file} is not sandboxed`);
      await page.waitForTimeout(200);
    }
    await page.goto(base);
    const ran = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ran-')));
    assert.deepEqual(ran, [], `script in an attachment ran on the site's origin: ${ran.join(', ')}`);
  } finally {
    await browser.close().catch(() => {});
    await new Promise((done) => { serve.child.once('exit', done); serve.child.kill(); });
    fs.rmSync(root, { recursive: true, force: true });
  }
});
