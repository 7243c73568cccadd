// Every shipped document, originals and translations, opened in the web
// editor, its title edited and saved back, on a temporary copy of the
// shipped dossier: Decap offers to publish only a form that differs from
// the file, so each save changes the title, as an editor's would, and
// nothing else: no other field that matters is lost or changed and no
// list is reordered (the front matter is compared as YAML data, before
// and after; the order of a mapping's keys does not matter to the build,
// and Decap writes the top-level ones in the form's order), the text is
// unchanged, and `dossier check` still passes.
//
// Saving every one of the 320-odd files through the form would take the
// suite far past its time, so a set of documents covering every
// collection in every language, the free pages and their translations is
// opened and saved through the form in Chromium, and every file is also
// saved through the same steps in node with Decap's own code
// (lib/decap-format.mjs). For each file saved through the form the test
// requires the two to write the same bytes, which is what lets the rest
// stand for a save through the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './lib/env.mjs';
import { DOSSIER, yaml, withCms, withEditor, publish } from './lib/cms.mjs';
import { preSaveHandlers, decapRoundTrip } from './lib/decap-format.mjs';

function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/** The shipped dossier's content and settings, in a temporary folder. */
function shippedCopy() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cms-shipped-'));
  copyDir(path.join(REPO_ROOT, 'content'), path.join(root, 'content'));
  for (const dir of ['i18n', 'themes', 'templates', 'static', 'data']) {
    if (fs.existsSync(path.join(REPO_ROOT, dir))) copyDir(path.join(REPO_ROOT, dir), path.join(root, dir));
  }
  const settings = fs.readFileSync(path.join(REPO_ROOT, 'site.toml'), 'utf8');
  // The CMS's script from the site itself (withCms copies it there).
  fs.writeFileSync(path.join(root, 'site.toml'), `${settings.replace(/^\[cms\][^[]*/m, '')}\n[cms]\nscript = "cms/decap-cms.js"\n`);
  return withCms(root);
}

/** Every Markdown file under content/, relative to the site. */
function markdownFiles(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.md')) found.push(relative);
    }
  };
  walk('content');
  return found.sort();
}

/** A file's front matter as data and its text, split as Decap splits them. */
function parts(text) {
  const match = text.match(/^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/);
  assert.ok(match, 'front matter between --- lines');
  return { data: yaml.load(match[1], { schema: yaml.JSON_SCHEMA }) ?? {}, body: match[2] };
}

/**
 * The data as the build reads it: a key with no value is no key, and a
 * mapping's key order is not part of it (list order is).
 */
function meaning(value) {
  if (Array.isArray(value)) return value.map(meaning);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => value[key] !== null && value[key] !== '')
        .sort()
        .map((key) => [key, meaning(value[key])]),
    );
  }
  return value;
}

/** Where the editor opens `file`, and the top-level field order of its form. */
function formOf(config, file) {
  const name = path.posix.basename(file);
  for (const collection of config.collections) {
    if (collection.files) {
      const page = collection.files.find((f) => f.file === file);
      if (page) return { route: `collections/${collection.name}/entries/${page.name}`, order: page.fields.map((f) => f.name) };
    } else if (path.posix.dirname(file) === collection.folder) {
      const translated = /^[^.]+\.([a-z-]+)\.md$/.exec(name);
      const extension = translated ? `${translated[1]}.md` : 'md';
      if (collection.extension === extension) {
        const slug = name.slice(0, -(extension.length + 1));
        return { route: `collections/${collection.name}/entries/${slug}`, order: collection.fields.map((f) => f.name) };
      }
    }
  }
  return null;
}

/** What each save adds to the end of the title. */
const EDIT = ' (edited)';

/**
 * The title edited, in the entry just opened, as an editor types, once
 * the form shows `title`: the previous entry's form stays on the page
 * until the new one is loaded.
 */
async function editTitle(page, title) {
  await page.waitForFunction(
    (want) => document.querySelector('input[id^="title-field-"]')?.value === want,
    title,
    { timeout: 30000 },
  );
  await page.locator('input[id^="title-field-"]').first().focus();
  await page.keyboard.press('End');
  await page.keyboard.type(EDIT);
}

/** The same edit, on a front matter's data. */
function withTitleEdited(data) {
  return { ...data, title: `${data.title ?? ''}${EDIT}` };
}

test('every shipped document opens in the editor and saves back unchanged in meaning', { timeout: 300000 }, async () => {
  const root = shippedCopy();
  const timings = {};
  try {
    const config = yaml.load(fs.readFileSync(path.join(root, 'static/admin/config.yml'), 'utf8'));
    const handlers = preSaveHandlers(fs.readFileSync(path.join(root, 'static/admin/dossier.js'), 'utf8'));
    assert.equal(handlers.length, 1, 'dossier.js registers its preSave handler');
    const files = markdownFiles(root);
    const before = new Map(files.map((file) => [file, fs.readFileSync(path.join(root, file), 'utf8')]));
    const translations = files.filter((f) => path.posix.basename(f).split('.').length > 2);
    assert.ok(files.length >= 300 && translations.length >= 150, `${files.length} files, ${translations.length} translations`);

    // Every file belongs to exactly one form.
    const forms = new Map();
    for (const file of files) {
      const form = formOf(config, file);
      assert.ok(form, `${file} opens in the editor`);
      forms.set(file, form);
    }

    // Through the form: the first and last document of every collection
    // (in every language) and every free page.
    const byCollection = new Map();
    for (const file of files) {
      const key = forms.get(file).route.replace(/\/entries\/.*$/, '');
      if (!byCollection.has(key)) byCollection.set(key, []);
      byCollection.get(key).push(file);
    }
    const throughForm = [];
    for (const [key, list] of byCollection) {
      if (key.endsWith('/pages')) throughForm.push(...list);
      else throughForm.push(...new Set([list[0], list[list.length - 1]]));
    }

    const started = Date.now();
    await withEditor(root, async (page, base) => {
      for (const file of throughForm) {
        try {
          // Decap's editor loads the entry its route names when it opens,
          // not when the route changes to another entry: it is closed
          // first, by way of the collection's list, as an editor goes.
          await page.goto(`${base}#/${forms.get(file).route.replace(/\/entries\/.*$/, '')}`);
          await page.locator('input[id^="title-field-"]').waitFor({ state: 'detached' });
          await page.goto(`${base}#/${forms.get(file).route}`);
          await editTitle(page, parts(before.get(file)).data.title ?? '');
          await publish(page);
        } catch (e) {
          throw new Error(`${file}: ${e.message}`, { cause: e });
        }
      }
    });
    timings.form = { files: throughForm.length, seconds: (Date.now() - started) / 1000 };

    // The same steps in node, for every file; for those saved through the
    // form, they must have written exactly what the page wrote.
    const nodeStarted = Date.now();
    for (const file of files) {
      const written = decapRoundTrip(before.get(file), forms.get(file).order, handlers, EDIT);
      if (throughForm.includes(file)) {
        assert.equal(fs.readFileSync(path.join(root, file), 'utf8'), written, `${file}: the page and node write the same file`);
      } else {
        fs.writeFileSync(path.join(root, file), written);
      }
    }
    timings.node = { files: files.length - throughForm.length, seconds: (Date.now() - nodeStarted) / 1000 };

    let changed = 0;
    for (const file of files) {
      const after = fs.readFileSync(path.join(root, file), 'utf8');
      if (after !== before.get(file)) changed += 1;
      const was = parts(before.get(file));
      const now = parts(after);
      assert.deepEqual(meaning(now.data), meaning(withTitleEdited(was.data)), `${file}: the front matter means the same, but for the title`);
      assert.equal(now.body.trim(), was.body.trim(), `${file}: the text is unchanged`);
    }
    // The saves did rewrite the files (Decap's own YAML style), so the
    // comparison above compared something.
    assert.ok(changed > files.length / 2, `only ${changed} files rewritten`);
    execFileSync(DOSSIER, ['check', '--root', root], { stdio: 'pipe' });
    console.log(`cms round trip: ${timings.form.files} files through the form in ${timings.form.seconds.toFixed(1)} s, ${timings.node.files} more through Decap's code in node in ${timings.node.seconds.toFixed(1)} s`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
