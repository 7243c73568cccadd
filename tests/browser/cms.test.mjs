// The web editor made by `dossier cms`, in a real Decap CMS (the version
// package-lock.json pins) with decap-server's local backend, both on
// loopback, against a temporary copy of a small site: the generated
// configuration loads without a configuration error, and the incident form
// offers the model's fields with relation widgets for its references.
//
// Not yet here: saving an incident through the form and checking it with
// `dossier check`, and opening and saving back every shipped document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { launchBrowser, isLocalRequest } from './lib/browser.mjs';
import { REPO_ROOT } from './lib/env.mjs';

const require = createRequire(import.meta.url);
const DOSSIER = process.env.DOSSIER_BIN || path.join(REPO_ROOT, 'target', 'release', 'dossier');
// Decap looks for its local backend here unless the configuration says otherwise.
const BACKEND_PORT = 8081;

function write(root, relative, text) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function smallSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cms-'));
  write(root, 'site.toml', 'title = "Round trip"\ndefault_language = "en"\n\n[languages.en]\nname = "English"\n\n[languages.ar]\nname = "العربية"\ndirection = "rtl"\n\n[cms]\nscript = "cms/decap-cms.js"\n');
  write(root, 'content/_index.md', '---\ntitle: Home\n---\nWelcome.\n');
  write(root, 'content/actors/us-marine-corps.md', '---\ntitle: US Marine Corps\nkind: armed-force\n---\n');
  write(root, 'content/actors/amnesty.md', '---\ntitle: Amnesty International\nkind: ngo\n---\n');
  write(root, 'content/sources/amnesty-2023.md', '---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\ndate: 2023-03-20\nperspective: An independent human-rights organisation.\n---\n');
  execFileSync(DOSSIER, ['cms', '--root', root], { stdio: 'pipe' });
  // The CMS's own files, served from the site by `dossier serve`, so that
  // nothing is fetched from off this machine.
  const dist = path.dirname(require.resolve('decap-cms/dist/decap-cms.js'));
  fs.mkdirSync(path.join(root, 'static/admin/cms'), { recursive: true });
  for (const name of fs.readdirSync(dist).filter((n) => n.endsWith('decap-cms.js'))) {
    fs.copyFileSync(path.join(dist, name), path.join(root, 'static/admin/cms', name));
  }
  return root;
}

/** Starts a child process and resolves once `ready` matches its output. */
function start(command, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${seen}`)), 30000);
    const onData = (chunk) => {
      seen += chunk;
      const match = seen.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${seen}`)));
  });
}

test('the generated Decap configuration loads and the incident form has the model\'s widgets', async () => {
  const root = smallSite();
  const backend = await start(
    process.execPath,
    [require.resolve('decap-server/dist/index.js')],
    { BIND_HOST: '127.0.0.1', PORT: String(BACKEND_PORT), MODE: 'fs', GIT_REPO_DIRECTORY: root, LOG_LEVEL: 'info' },
    /listening/,
  );
  const serve = await start(DOSSIER, ['serve', '--root', root, '--port', '0'], {}, /localhost:(\d+)\//);
  const port = serve.match[1];
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = [];
    const offMachine = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => { if (!isLocalRequest(r.url())) offMachine.push(r.url()); });
    await page.route('**/*', (route) => (isLocalRequest(route.request().url()) ? route.continue() : route.abort()));
    await page.goto(`http://localhost:${port}/admin/index.html`);
    const login = page.getByRole('button', { name: /login/i });
    await login.waitFor({ timeout: 30000 });
    await login.click();
    await page.goto(`http://localhost:${port}/admin/index.html#/collections/incidents/new`);
    await page.waitForSelector('[id^="title-field-"]', { timeout: 30000 });
    assert.deepEqual(errors, [], 'the configuration loads without errors');
    for (const name of ['date', 'place', 'perpetrators', 'verification', 'casualties', 'killed', 'sources', 'accountability']) {
      assert.ok(await page.locator(`[id^="${name}-field-"]`).count(), `the form has ${name}`);
    }
    // The perpetrators field is a searchable list of the site's actors.
    const perpetrators = page.locator('[id^="perpetrators-field-"]').first();
    await perpetrators.click();
    await perpetrators.pressSequentially('Marine', { delay: 20 });
    await page.getByText('US Marine Corps').first().waitFor({ timeout: 10000 });
    assert.deepEqual(offMachine, [], 'no request leaves the machine');
  } finally {
    await browser.close();
    serve.child.kill();
    backend.child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
