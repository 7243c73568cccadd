// Tests of the suite itself, on tiny generated sites (lib/fixture.mjs): each
// check passes on a clean site and catches its deliberate breakage, so a
// green run of the real site means something.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFixture } from './lib/fixture.mjs';
import { sitePages } from './lib/files.mjs';
import { validateHtml, firstH1, tokenize } from './lib/html.mjs';
import { checkLinks, checkNotes, classify } from './lib/links.mjs';
import { pageTypes, dossierTitles } from './lib/pages.mjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, openContext, visit, runAxe, isLocalRequest } from './lib/browser.mjs';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-browser-harness-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

const fixture = (breakage = null) => writeFixture(path.join(TMP, breakage ?? 'clean'), breakage);

async function htmlErrors(root) {
  const out = [];
  for (const rel of sitePages(root)) {
    for (const m of await validateHtml(fs.readFileSync(path.join(root, rel), 'utf8'), rel)) {
      if (m.severity === 2) out.push(`${rel}:${m.line}:${m.column} ${m.ruleId}`);
    }
  }
  return out;
}

describe('static checks', () => {
  test('a clean site has no HTML errors and no broken links', async () => {
    const root = fixture();
    assert.deepEqual(await htmlErrors(root), []);
    const links = checkLinks(root);
    assert.deepEqual(links.broken, []);
    assert.ok(links.checked > 20, `only ${links.checked} links checked`);
    assert.equal(links.external, 1);
  });

  test('citation notes resolve on a clean site, and a note reference to no note is caught', () => {
    const clean = checkNotes(fixture());
    assert.deepEqual(clean.broken, []);
    assert.equal(clean.notes, 1);
    const { broken } = checkNotes(fixture('broken-note'));
    assert.equal(broken.length, 1);
    assert.equal(broken[0].file, 'incidents/haditha-2005/index.html');
    assert.match(broken[0].reason, /not on the page/);
  });

  test('a link to a page that was not built is caught', () => {
    const { broken } = checkLinks(fixture('broken-link'));
    assert.equal(broken.length, 1);
    assert.equal(broken[0].file, 'index.html');
    assert.match(broken[0].ref, /no-such-demand/);
  });

  test('invalid HTML is caught with its position', async () => {
    const errors = await htmlErrors(fixture('invalid-html'));
    assert.ok(errors.some((e) => /^index\.html:\d+:\d+ element-permitted-content$/.test(e)), errors.join('\n'));
  });

  test('outside scripts and stylesheets are caught, outside <a href> is allowed', () => {
    for (const b of ['external-script', 'external-stylesheet']) {
      const { broken } = checkLinks(fixture(b));
      assert.equal(broken.length, 1, b);
      assert.match(broken[0].reason, /outside resource/);
    }
  });

  test('a missing incident page fails the page-type check', () => {
    const { missing } = pageTypes(fixture('missing-incident'));
    assert.deepEqual(missing.map((m) => m.name), ['incident']);
  });

  test('references resolve like a browser resolves them', () => {
    assert.deepEqual(classify('../about/', 'demands/x/index.html'), { kind: 'local', target: 'demands/about/' });
    assert.deepEqual(classify('../../about/?q=1#top', 'demands/x/index.html'), { kind: 'local', target: 'about/' });
    assert.deepEqual(classify('/style.css', 'a/b/index.html'), { kind: 'local', target: 'style.css' });
    assert.deepEqual(classify('caf%C3%A9.png', 'a/index.html'), { kind: 'local', target: 'a/café.png' });
    assert.equal(classify('#main', 'index.html').kind, 'skip');
    assert.equal(classify('mailto:x@example.org', 'index.html').kind, 'skip');
    assert.equal(classify('data:image/png;base64,AA', 'index.html').kind, 'skip');
    assert.equal(classify('https://example.org/', 'index.html').kind, 'external');
    assert.equal(classify('//example.org/x.js', 'index.html').kind, 'external');
  });

  test('the tokenizer skips comments and script text and reads svg', () => {
    const tags = tokenize('<p a=1><!-- <img src="no.png"> --><script>"<img src=no2.png>"</script>\n<svg><use href="s.svg#i"/></svg><img src=\'q&amp;.png\'>');
    const refs = tags.flatMap((t) => t.attrs.filter((a) => a.name === 'href' || a.name === 'src').map((a) => `${t.tag} ${a.value} ${a.line}:${a.column}`));
    assert.deepEqual(refs, ['use s.svg#i 2:11', 'img q&.png 2:38']);
  });

  test('raw text ends at its closing tag in any case, or runs to the end', () => {
    const names = (source) => tokenize(source).map((t) => t.tag);
    assert.deepEqual(names('<style>a</b><i></STYLE ><em></p><textarea><b>'), ['style', 'em', 'textarea']);
  });

  test('print titles come from the <h1> of each page without dossier.json', () => {
    const { from, titles } = dossierTitles(fixture(), firstH1);
    assert.match(from, /h1/);
    assert.deepEqual(titles.map((t) => t.title), ['An independent investigation into Haditha', 'Killings at Haditha']);
  });

  test('print titles come from data/dossier.json when it exists', () => {
    const root = fixture();
    fs.mkdirSync(path.join(root, 'data'));
    fs.writeFileSync(
      path.join(root, 'data', 'dossier.json'),
      JSON.stringify({
        demands: [{ slug: 'd', title: 'A demand', lang: 'en' }, { slug: 'd', title: 'مطلب', lang: 'ar' }],
        incidents: { i: { title: 'An incident' }, j: { title: 'A draft', draft: true } },
      }),
    );
    const { from, titles } = dossierTitles(root, firstH1);
    assert.equal(from, 'data/dossier.json');
    assert.deepEqual(titles.map((t) => t.title), ['A demand', 'An incident']);
  });
});

describe('the static server', () => {
  let server;
  before(async () => {
    server = await startServer(fixture());
  });
  after(() => server?.close());

  test('folders serve index.html, types are right, missing pages get 404.html', async () => {
    let res = await fetch(`${server.origin}/demands/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await res.text(), /<h1>Demands<\/h1>/);
    res = await fetch(`${server.origin}/style.css`);
    assert.equal(res.headers.get('content-type'), 'text/css; charset=utf-8');
    res = await fetch(`${server.origin}/pixel.png`);
    assert.equal(res.headers.get('content-type'), 'image/png');
    res = await fetch(`${server.origin}/demands`, { redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/demands/');
    res = await fetch(`${server.origin}/nothing/here/`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /Page not found/);
    res = await fetch(`${server.origin}/%2e%2e/%2e%2e/etc/passwd`);
    assert.equal(res.status, 404);
  });
});

describe('browser checks', () => {
  let browser;
  let context;
  before(async () => {
    browser = await launchBrowser();
    context = await openContext(browser, 375);
  });
  after(() => browser?.close());

  async function audit(breakage) {
    const server = await startServer(fixture(breakage));
    try {
      const r = await visit(context, `${server.origin}/`);
      const violations = await runAxe(r.page);
      await r.page.close();
      return { ...r, violations, external: r.requests.filter((u) => !isLocalRequest(u)) };
    } finally {
      await server.close();
    }
  }

  test('a clean page passes axe and stays on this machine', async () => {
    const r = await audit(null);
    assert.equal(r.status, 200);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.external, []);
    assert.deepEqual(r.failures, []);
    assert.ok(r.requests.length >= 3, r.requests.join('\n'));
  });

  test('an image without alt is an axe violation, with its selector', async () => {
    const r = await audit('missing-alt');
    assert.deepEqual(r.violations.map((v) => v.id), ['image-alt']);
    assert.match(r.violations[0].targets[0], /img/);
  });

  test('an outside script is recorded as a request leaving the machine (and blocked)', async () => {
    const r = await audit('external-script');
    assert.deepEqual([...new Set(r.external)], ['https://cdn.example.com/tracker.js']);
  });

  test('an outside stylesheet is recorded as a request leaving the machine', async () => {
    const r = await audit('external-stylesheet');
    assert.deepEqual([...new Set(r.external)], ['https://fonts.example.com/font.css']);
  });
});
