// The web editor made by `dossier cms`, in a real Decap CMS (the version
// package-lock.json pins) with decap-server's local backend, both on
// loopback, against a temporary copy of a small site: the generated
// configuration loads without a configuration error, and the incident form
// offers the model's fields with relation widgets for its references.
// Then an incident created through the form passes `dossier check` and
// its values reach the built page, and an incident written by hand, with
// plain slugs and counts in several forms, is edited through the form
// and keeps every form it was written in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DOSSIER, write, withCms, withEditor, choose, pick, addItem, publish, frontMatter } from './lib/cms.mjs';

function smallSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cms-'));
  write(root, 'site.toml', 'title = "Round trip"\ndefault_language = "en"\n\n[languages.en]\nname = "English"\n\n[languages.ar]\nname = "العربية"\ndirection = "rtl"\n\n[cms]\nscript = "cms/decap-cms.js"\n');
  write(root, 'content/_index.md', '---\ntitle: Home\n---\nWelcome.\n');
  write(root, 'content/actors/us-marine-corps.md', '---\ntitle: US Marine Corps\nkind: armed-force\n---\n');
  write(root, 'content/actors/amnesty.md', '---\ntitle: Amnesty International\nkind: ngo\n---\n');
  write(root, 'content/sources/amnesty-2023.md', '---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\ndate: 2023-03-20\nperspective: An independent human-rights organisation.\n---\n');
  return withCms(root);
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
      // The source of the incident, in its list of sources (the place
      // has a source reference of its own before it in the form).
      await addItem(page, 'source');
      const sources = page.locator('[id^="sources-field-"]').first();
      await pick(page, sources.locator('input[id^="source-field-"]').first(), 'Twenty', 'Twenty years on');
      await sources.locator('[id^="locator-field-"]').first().fill('para. 3');
      // killed: a range; injured: at least 2; detained left empty.
      await pick(page, page.locator('input[id^="kind-field-"]').nth(0), 'between', 'between (a range)');
      await page.locator('[id^="number-field-"]').nth(0).fill('3');
      await page.locator('[id^="to-field-"]').nth(0).fill('5');
      await pick(page, page.locator('input[id^="kind-field-"]').nth(1), 'at least', 'at least');
      await page.locator('[id^="number-field-"]').nth(1).fill('2');
      await publish(page);
    });
    const written = fs.readdirSync(path.join(root, 'content/incidents'));
    assert.deepEqual(written, ['checkpoint-shooting-near-fallujah.md'], 'the form wrote slug.md');
    const { data } = frontMatter(path.join(root, 'content/incidents', written[0]));
    assert.equal(data.date, '2004-04');
    assert.equal(data.place.name, 'Fallujah');
    assert.deepEqual(data.perpetrators, ['us-marine-corps']);
    assert.deepEqual(data.sources, [{ source: 'amnesty-2023', locator: 'para. 3' }]);
    assert.deepEqual(data.casualties, { killed: { min: 3, max: 5 }, injured: { min: 2 } });
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

test('a hand-written incident edited through the form keeps the forms it was written in', { timeout: 180000 }, async () => {
  const root = smallSite();
  write(root, 'content/sources/amnesty-2013.md', '---\ntitle: Ten years on\nkind: ngo-report\npublisher: amnesty\ndate: 2013-03-11\nperspective: An independent human-rights organisation.\n---\n');
  const file = path.join(root, 'content/incidents/checkpoint.md');
  write(root, 'content/incidents/checkpoint.md', [
    '---',
    'title: Checkpoint',
    'date: 2005-11-19',
    'place: {name: Haditha, source: amnesty-2013}',
    'casualties: {killed: 24, injured: {min: 40, wording: more-than}, detained: {about: 650}}',
    'sources: [amnesty-2023, {source: amnesty-2013, locator: p. 4, quote: at the checkpoint}]',
    'accountability:',
    '  - {date: 2006, step: inquiry, note: An inquiry opened., source: amnesty-2023}',
    '  - {date: 2007, step: charges, source: {source: amnesty-2013}}',
    '---',
    'Text. [@amnesty-2023]',
    '',
  ].join('\n'));
  try {
    await withEditor(root, async (page, base) => {
      await page.goto(`${base}#/collections/incidents/entries/checkpoint`);
      await page.waitForSelector('[id^="title-field-"]', { timeout: 30000 });
      // The plain slug shows as the chosen source, with no locator.
      const locators = page.locator('[id^="locator-field-"]');
      await page.getByText('Twenty years on').first().waitFor();
      // Fields in order: place.source, sources[0], sources[1], accountability[0].source.
      assert.equal(await locators.nth(1).inputValue(), '', 'a plain slug has no locator');
      assert.equal(await locators.nth(2).inputValue(), 'p. 4');
      // The exact count shows as "exactly 24".
      assert.equal(await page.locator('[id^="number-field-"]').nth(0).inputValue(), '24');
      // The preview shows the located reference and the counts written as
      // mappings.
      const preview = page.frameLocator('iframe').first();
      for (const shown of ['amnesty-2013, p. 4, at the checkpoint', 'more than 40', 'about 650']) {
        await preview.getByText(shown, { exact: true }).waitFor({ timeout: 10000 });
      }
      // Edit: a locator for the first source, and "up to 7" for detained.
      await locators.nth(1).fill('para. 2');
      await pick(page, page.locator('input[id^="kind-field-"]').nth(2), 'up to', 'up to');
      await page.locator('[id^="number-field-"]').nth(2).fill('7');
      await publish(page);
    });
    const { data, body } = frontMatter(file);
    assert.deepEqual(data.casualties, { killed: 24, injured: { min: 40, wording: 'more-than' }, detained: { max: 7 } });
    assert.deepEqual(data.sources, [
      { source: 'amnesty-2023', locator: 'para. 2' },
      { source: 'amnesty-2013', locator: 'p. 4', quote: 'at the checkpoint' },
    ]);
    assert.deepEqual(data.place, { name: 'Haditha', source: 'amnesty-2013' });
    assert.equal(data.accountability[0].source, 'amnesty-2023', 'an untouched plain slug stays a slug');
    assert.deepEqual(data.accountability[1].source, { source: 'amnesty-2013' }, 'an untouched mapping stays a mapping');
    assert.equal(body, 'Text. [@amnesty-2023]');
    execFileSync(DOSSIER, ['check', '--root', root], { stdio: 'pipe' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
