// The web editor made by `dossier cms`, in a real Decap CMS (the version
// package-lock.json pins) with decap-server's local backend, both on
// loopback, against a temporary copy of a small site: the generated
// configuration loads without a configuration error, and the incident form
// offers the model's fields with relation widgets for its references.
// Then an incident created through the form passes `dossier check` and
// its values reach the built page.
//
// Not yet here: opening and saving back every shipped document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { launchBrowser, isLocalRequest } from './lib/browser.mjs';
import { REPO_ROOT } from './lib/env.mjs';


const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
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
  return withCms(root);
}

/** Writes the editor into `root` with the CMS's own files beside it. */
function withCms(root) {
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

/** Fails at once, and says why, when something else holds the backend's port. */
function assertPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e) => reject(new Error(`port ${port} on 127.0.0.1 is taken (${e.code}): decap-server needs it; stop what holds it and run again`)));
    probe.listen(port, '127.0.0.1', () => probe.close(resolve));
  });
}

/**
 * Runs `body(page, base)` with decap-server and `dossier serve` on `root`
 * and a logged-in editor; stops both servers and the browser whatever happens.
 */
async function withEditor(root, body) {
  await assertPortFree(BACKEND_PORT);
  const children = [];
  let browser;
  try {
    const backend = await start(
      process.execPath,
      [require.resolve('decap-server/dist/index.js')],
      { BIND_HOST: '127.0.0.1', PORT: String(BACKEND_PORT), MODE: 'fs', GIT_REPO_DIRECTORY: root, LOG_LEVEL: 'info' },
      /listening/,
    );
    children.push(backend.child);
    const serve = await start(DOSSIER, ['serve', '--root', root, '--port', '0'], {}, /localhost:(\d+)\//);
    children.push(serve.child);
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(15000);
    const offMachine = [];
    page.on('request', (r) => { if (!isLocalRequest(r.url())) offMachine.push(r.url()); });
    await page.route('**/*', (route) => (isLocalRequest(route.request().url()) ? route.continue() : route.abort()));
    const base = `http://localhost:${serve.match[1]}/admin/index.html`;
    await page.goto(base);
    const login = page.getByRole('button', { name: /login/i });
    await login.waitFor({ timeout: 30000 });
    await login.click();
    try {
      await body(page, base);
    } catch (e) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'cms-failure.png') }).catch(() => {});
      throw e;
    }
    assert.deepEqual(offMachine, [], 'no request leaves the machine');
  } finally {
    if (browser) await browser.close().catch(() => {});
    // Wait for each to exit, so that the next test finds the port free.
    await Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode ? null : new Promise((done) => { child.once('exit', done); child.kill(); }))));
  }
}

const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'browser', 'artifacts');

/** Picks the option labelled `label` in the relation widget `name`. */
async function choose(page, name, typed, label) {
  const input = page.locator(`[id^="${name}-field-"]`).first();
  await input.click();
  await input.pressSequentially(typed, { delay: 20 });
  await page.getByText(label, { exact: true }).first().click();
}

/** Saves the open entry and waits until Decap says it is saved. */
async function publish(page) {
  await page.getByRole('button', { name: /^publish$/i }).click();
  await page.getByText(/publish now/i).first().click();
  // The header says so once the backend has written the file (the toast
  // that also says it can come and go between two polls).
  await page.getByText(/^changes saved$/i).first().waitFor({ timeout: 20000 });
}

function frontMatter(file) {
  const text = fs.readFileSync(file, 'utf8');
  const match = text.match(/^---\n([\s\S]*?)\n---\n?([\s\S]*)$/);
  assert.ok(match, `${file} has front matter`);
  return { data: yaml.load(match[1], { schema: yaml.JSON_SCHEMA }) ?? {}, body: match[2].trim() };
}

test('the generated Decap configuration loads and the incident form has the model\'s widgets', { timeout: 120000 }, async () => {
  const root = smallSite();
  try {
    await withEditor(root, async (page, base) => {
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}#/collections/incidents/new`);
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
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an incident created through the form passes `dossier check` and reaches its page', { timeout: 180000 }, async () => {
  const root = smallSite();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cms-out-'));
  try {
    await withEditor(root, async (page, base) => {
      await page.goto(`${base}#/collections/incidents/new`);
      await page.locator('[id^="title-field-"]').first().fill('Checkpoint shooting near Fallujah');
      const summary = page.locator('[id^="summary-field-"]');
      if (await summary.count()) await summary.first().fill('Soldiers fired on a car at a checkpoint.');
      await page.locator('[id^="date-field-"]').first().fill('2004-04');
      await page.locator('[id^="name-field-"]').first().fill('Fallujah');
      await choose(page, 'perpetrators', 'Marine', 'US Marine Corps');
      await choose(page, 'sources', 'Twenty', 'Twenty years on');
      await page.locator('[id^="min-field-"]').first().fill('3');
      await page.locator('[id^="max-field-"]').first().fill('5');
      await publish(page);
    });
    const written = fs.readdirSync(path.join(root, 'content/incidents'));
    assert.deepEqual(written, ['checkpoint-shooting-near-fallujah.md'], 'the form wrote slug.md');
    const { data } = frontMatter(path.join(root, 'content/incidents', written[0]));
    assert.equal(data.date, '2004-04');
    assert.equal(data.place.name, 'Fallujah');
    assert.deepEqual(data.perpetrators, ['us-marine-corps']);
    assert.deepEqual(data.sources, ['amnesty-2023']);
    assert.deepEqual(data.casualties.killed, { min: 3, max: 5 });
    execFileSync(DOSSIER, ['check', '--root', root], { stdio: 'pipe' });
    execFileSync(DOSSIER, ['build', '--root', root, '--output', out], { stdio: 'pipe' });
    const html = fs.readFileSync(path.join(out, 'incidents/checkpoint-shooting-near-fallujah/index.html'), 'utf8');
    for (const shown of ['Checkpoint shooting near Fallujah', 'Fallujah', 'US Marine Corps', 'Twenty years on', '2004']) {
      assert.ok(html.includes(shown), `the built page shows ${shown}`);
    }
    assert.match(html, /3\D{1,12}5/, 'the built page shows the range');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
});
