// What the browser tests of the web editor share: the site's editor
// written by `dossier cms` with the CMS's own files beside it, decap-server
// and `dossier serve` on loopback around a logged-in Chromium page, and
// the front matter of a file as a YAML reader sees it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { launchBrowser, isLocalRequest } from './browser.mjs';
import { REPO_ROOT } from './env.mjs';

const require = createRequire(import.meta.url);
export const yaml = require('js-yaml');
export const DOSSIER = process.env.DOSSIER_BIN || path.join(REPO_ROOT, 'target', 'release', 'dossier');
// Decap looks for its local backend here unless the configuration says otherwise.
const BACKEND_PORT = 8081;

export function write(root, relative, text) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Writes the editor into `root` with the CMS's own files beside it. */
export function withCms(root) {
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
export function start(command, args, env, ready) {
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
export function assertPortFree(port) {
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
export async function withEditor(root, body) {
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

export const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'browser', 'artifacts');

/** Picks the option labelled `label` in the relation widget `name`. */
export async function choose(page, name, typed, label) {
  const input = page.locator(`[id^="${name}-field-"]`).first();
  await input.click();
  await input.pressSequentially(typed, { delay: 20 });
  await page.getByText(label, { exact: true }).first().click();
}

/** Picks `label` in the select (or relation) whose input is `input`. */
export async function pick(page, input, typed, label) {
  await input.click();
  await input.pressSequentially(typed, { delay: 20 });
  await page.getByText(label, { exact: true }).first().click();
}

/** Adds an item to the list field whose add button says `label`. */
export async function addItem(page, label) {
  await page.getByRole('button', { name: new RegExp(`^add ${label}$`, 'i') }).first().click();
}

/**
 * Saves the open entry and waits until Decap says it is saved; fails with
 * what Decap says when it refuses. Decap offers "Publish" (a menu whose
 * "Publish now" saves) only while the form differs from the file.
 */
export async function publish(page) {
  await page.getByRole('button', { name: /^publish$/i }).click();
  await page.getByText(/^publish now$/i).first().click();
  // The header says so once the backend has written the file (the toast
  // that also says it can come and go between two polls).
  const saved = page.getByText(/^changes saved$/i).first();
  const refused = page.getByText(/missed a required field|failed to persist/i).first();
  await saved.or(refused).waitFor({ timeout: 20000 });
  if (await refused.isVisible()) {
    const said = await page.$$eval('[class*="rror"]', (els) => [...new Set(els.map((e) => e.textContent.trim()).filter(Boolean))]);
    throw new Error(`Decap did not save the entry: ${said.join(' | ')}`);
  }
}

export function frontMatter(file) {
  const text = fs.readFileSync(file, 'utf8');
  const match = text.match(/^---\n([\s\S]*?)\n---\n?([\s\S]*)$/);
  assert.ok(match, `${file} has front matter`);
  return { data: yaml.load(match[1], { schema: yaml.JSON_SCHEMA }) ?? {}, body: match[2].trim() };
}

