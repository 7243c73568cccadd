// Watching a page for what must never happen on a dossier page: a
// Content-Security-Policy violation, a dialog (`alert`, `confirm`, `prompt`),
// script run by content (the XSS corpus's payloads call `__xss()`), or a
// navigation to a `javascript:` URL. Used by csp.test.mjs and xss.test.mjs.
import { isLocalRequest } from './browser.mjs';

/**
 * A browser context that keeps the pages' own Content-Security-Policy
 * (unlike the suite's other contexts) and records, per page, in
 * `window.__guard`: CSP violations, and calls of `__xss`/`alert`/`confirm`/
 * `prompt`. Requests off this machine are aborted.
 */
export async function openGuardedContext(browser, { width = 1280, bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, serviceWorkers: 'block', bypassCSP });
  await context.route('**/*', (route) =>
    isLocalRequest(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
  );
  await context.addInitScript(() => {
    const guard = { violations: [], executions: [] };
    Object.defineProperty(window, '__guard', { value: guard });
    document.addEventListener('securitypolicyviolation', (e) => {
      guard.violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
    const record = (name) =>
      function (...args) {
        guard.executions.push(`${name}(${args.map(String).join(', ')})`);
      };
    window.__xss = record('__xss');
    window.alert = record('alert');
    window.confirm = record('confirm');
    window.prompt = record('prompt');
  });
  return context;
}

/**
 * Opens a page of `context` that records dialogs, console CSP reports and
 * `javascript:` navigations into `seen` (`{ dialogs, console, navigations }`).
 */
export async function guardedPage(context) {
  const page = await context.newPage();
  const seen = { dialogs: [], console: [], navigations: [], errors: [] };
  page.on('dialog', async (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) seen.console.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(String(e?.message ?? e)));
  page.on('framenavigated', (f) => {
    if (/^\s*javascript:/i.test(f.url())) seen.navigations.push(f.url());
  });
  page.on('request', (r) => {
    if (/^\s*javascript:/i.test(r.url())) seen.navigations.push(r.url());
  });
  return { page, seen };
}

/**
 * Opens the search page of `origin` in `page` and waits for its input,
 * which it returns. Counts the visit in `counts.pagesVisited`.
 */
export async function openSearch(page, origin, counts) {
  await page.goto(`${origin}/search/`, { waitUntil: 'load' });
  counts.pagesVisited++;
  const input = page.locator('.pagefind-ui__search-input').first();
  await input.waitFor({ timeout: 15_000 });
  return input;
}

/**
 * What in the page's DOM could run script if a reader touched it: event
 * handler attributes, `javascript:` (or `data:`/`vbscript:`) URLs in any
 * attribute that navigates or loads, frames with `srcdoc`, `<base>`, and
 * refresh redirects.
 */
export async function liveMarkup(page) {
  return page.evaluate(() => {
    const found = [];
    const bad = /^\s*(javascript|vbscript|data):/i;
    for (const el of document.querySelectorAll('*')) {
      for (const { name, value } of el.attributes) {
        const n = name.toLowerCase();
        if (n.startsWith('on')) found.push(`<${el.localName} ${n}>`);
        if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'srcdoc'].includes(n) && (bad.test(value) || n === 'srcdoc')) {
          // The theme's own favicon is a data: image; Pagefind's search form
          // has an action that does nothing.
          const favicon = el.localName === 'link' && el.rel === 'icon' && value.startsWith('data:image/svg+xml');
          const pagefindForm = el.localName === 'form' && value === 'javascript:void(0);' && el.closest('.pagefind-ui');
          // "Cite this page" offers its CSL-JSON and BibTeX as downloads:
          // data that a browser saves and never renders as a page.
          const download = el.localName === 'a' && el.hasAttribute('download') && /^data:application\/(vnd\.citationstyles\.csl\+json|x-bibtex);/.test(value);
          if (!favicon && !pagefindForm && !download) found.push(`<${el.localName} ${n}="${value.slice(0, 60)}">`);
        }
      }
    }
    for (const el of document.querySelectorAll('base, meta[http-equiv="refresh" i], iframe, object, embed')) found.push(`<${el.localName}>`);
    for (const el of document.querySelectorAll('script')) {
      if (!/__xss|alert\(/.test(el.textContent)) continue;
      // JSON-LD holds the payloads as data; it is inert while it parses
      // whole (a payload that closed it would leave a second element).
      let data = false;
      if (el.type === 'application/ld+json') {
        try { JSON.parse(el.textContent); data = true; } catch { data = false; }
      }
      if (!data) found.push('<script> with a payload');
    }
    return found;
  });
}

/** What the guard recorded in `page`, merged with `seen`. */
export async function report(page, seen) {
  const guard = await page.evaluate(() => window.__guard).catch(() => ({ violations: [], executions: [] }));
  return { ...seen, violations: guard?.violations ?? [], executions: guard?.executions ?? [] };
}

/**
 * Opens every URL of `urls` in `context`, `concurrency` at a time, each
 * worker reusing one guarded page, and calls `check(page, got, url)` after
 * each has loaded, with what the guard saw on that URL alone (`report`).
 * `prepare(page)` runs after the load, before the report (focus, hover).
 * Stops at the first failed check and rethrows it.
 */
export async function visitAll(context, urls, { concurrency = 1, prepare = async () => {}, check }) {
  const queue = [...urls];
  let failed;
  const worker = async () => {
    const { page, seen } = await guardedPage(context);
    try {
      while (queue.length && !failed) {
        const url = queue.shift();
        for (const list of Object.values(seen)) list.length = 0;
        try {
          await page.goto(url, { waitUntil: 'load' });
          await prepare(page);
          await check(page, await report(page, seen), url);
        } catch (error) {
          failed ??= error;
        }
      }
    } finally {
      await page.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failed) throw failed;
}
