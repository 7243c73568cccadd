// Driving Debian's Chromium through playwright-core: launching it, visiting a
// page at a given width while recording every request, running axe-core.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { AXE_PATH, CHROMIUM_PATH } from './env.mjs';

export const WIDTHS = [375, 1280];

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--dns-prefetch-disable',
];

export const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
};

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`no browser at ${CHROMIUM_PATH}: run scripts/browser-test.sh (it installs Debian's chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** True for a request that stays on this machine (or never leaves the page). */
export function isLocalRequest(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  // A page opened from its folder reads its files from this machine too.
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'file:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:');
}

/**
 * A browser context `width` px wide in which any request bound off this
 * machine is aborted before it leaves (the page's 'request' event has already
 * seen it, so `visit` still records it and the test still fails).
 */
export async function openContext(browser, width) {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    // The page's own Content-Security-Policy must not stop axe being injected.
    bypassCSP: true,
    serviceWorkers: 'block',
  });
  await context.route('**/*', (route) =>
    isLocalRequest(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
  );
  return context;
}

/**
 * Loads `url` in a new page of `context` and lets it settle. Returns the
 * page and what happened while loading:
 * `{ page, status, requests: [url], failures: [{ url, why }], errors: [message] }`.
 * `failures` are same-site subresources that did not load (status >= 400 or a
 * network error), `errors` uncaught exceptions in the page's scripts.
 */
export async function visit(context, url) {
  const page = await context.newPage();
  const requests = [];
  const failures = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (e) => errors.push(String(e?.message ?? e)));
  page.on('requestfailed', (r) => {
    if (isLocalRequest(r.url())) failures.push({ url: r.url(), why: r.failure()?.errorText ?? 'failed' });
  });
  page.on('response', (r) => {
    const u = r.url();
    // The page's own status is asserted by the caller; a missing favicon is
    // the browser's guess, not a reference in the page.
    if (r.status() >= 400 && u !== page.url() && !/\/favicon\.ico$/.test(u)) failures.push({ url: u, why: `HTTP ${r.status()}` });
  });
  const response = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  return { page, status: response?.status() ?? 0, requests, failures, errors };
}

/** Runs axe-core in `page`: `[{ id, impact, help, helpUrl, targets: [selector] }]`. */
export async function runAxe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (options) => {
    const result = await window.axe.run(document, options);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ')),
    }));
  }, AXE_OPTIONS);
}

export function formatViolations(violations) {
  return violations
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.targets.map((t) => `      at ${t}`).join('\n')}`)
    .join('\n');
}
