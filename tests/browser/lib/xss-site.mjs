// The XSS corpus as a dossier: every payload of xss/payloads.json written
// into every text field, URL field, body and archived file name of a
// generated site. `node lib/xss-site.mjs DIR [escape|sanitize]` writes one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SUITE_DIR } from './env.mjs';

export const PAYLOADS = JSON.parse(fs.readFileSync(path.join(SUITE_DIR, 'xss', 'payloads.json'), 'utf8'));

/** How many hostile strings the corpus holds. */
export function payloadCount() {
  return Object.entries(PAYLOADS)
    .filter(([k]) => !k.startsWith('_'))
    .reduce((n, [, list]) => n + list.length, 0);
}

// A JSON string is a YAML double-quoted scalar.
const q = (s) => JSON.stringify(s);

function write(root, relative, text) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function doc(fields, body = '') {
  return `---\n${fields.join('\n')}\n---\n${body}\n`;
}

/** A site of its own: settings, the default theme without geography data
 * (so governorates are free text), a home page. */
function base(root, rawHtml) {
  fs.rmSync(root, { recursive: true, force: true });
  const theme = path.join(REPO_ROOT, 'themes', 'default');
  fs.cpSync(theme, path.join(root, 'themes', 'default'), {
    recursive: true,
    // Its data folder only, not `templates/data.html`.
    filter: (src) => path.relative(theme, src).split(path.sep)[0] !== 'data',
  });
  write(root, 'site.toml', `title = "XSS corpus"\n[markdown]\nraw_html = "${rawHtml}"\n[check]\nuncited_paragraphs = "off"\nsources_without_copy = "off"\n`);
  write(root, 'content/_index.md', doc(['title: "Home"'], 'The corpus.'));
}

/** Writes the corpus site that must build: every allowed payload in place. */
export function writeSite(root, rawHtml = 'escape') {
  base(root, rawHtml);
  const { text, urls, bodies, file_names: names } = PAYLOADS;
  const files = names.map((name, i) => {
    const bytes = `archived copy ${i}\n`;
    write(root, `content/files/${name}`, bytes);
    return { file: `files/${name}`, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
  });
  text.forEach((t, i) => {
    const body = bodies[i % bodies.length];
    const url = urls[i % urls.length];
    const archive = files[i % files.length];
    write(root, `content/actors/a${i}.md`, doc([`title: ${q(t)}`, `summary: ${q(t)}`, 'kind: ngo', `country: ${q(t)}`], body));
    write(root, `content/sources/s${i}.md`, doc([
      `title: ${q(t)}`, `summary: ${q(t)}`, 'kind: ngo-report', `publisher: a${i}`, `authors: [${q(t)}]`,
      'date: 2020-01-01', `url: ${q(url)}`,
      `archive: {url: ${q(urls[(i + 1) % urls.length])}, file: ${q(archive.file)}, sha256: ${archive.sha256}}`,
      `perspective: ${q(t)}`, `copy: ${q(t)}`,
    ], body));
    write(root, `content/incidents/i${i}.md`, doc([
      `title: ${q(t)}`, `summary: ${q(t)}`, `date: 2020-01-${String((i % 28) + 1).padStart(2, '0')}`,
      `place: {name: ${q(t)}, governorate: ${q(t)}}`, `perpetrators: [a${i}]`, 'verification: corroborated',
      `victims: ${q(t)}`, `sources: [s${i}]`, `demands: [d${i}]`, `tags: [${q(t)}]`,
      `accountability: [{date: 2020-02-01, step: inquiry, note: ${q(t)}, source: s${i}}]`,
    ], `${body}\n\nCited [@s${i}, para. ${t.replace(/[\[\]@;]/g, '')}].`));
    write(root, `content/demands/d${i}.md`, doc([
      `title: ${q(t)}`, `summary: ${q(t)}`, 'kind: investigation', `addressees: [a${i}]`, `raised_by: [a${i}]`,
      'status: unmet', `sources: [s${i}]`, `incidents: [i${i}]`,
      `history: [{date: 2021-01, status: unmet, note: ${q(t)}, source: s${i}}]`,
    ], body));
    write(root, `content/figures/f${i}.md`, doc([
      `title: ${q(t)}`, `summary: ${q(t)}`, `unit: ${q(t)}`,
      `estimates: [{min: 1, max: 2, what: ${q(t)}, scope: ${q(t)}, method: count, period: [2003, 2006], source: s${i}}]`,
    ], body));
    write(root, `content/page-${i}.md`, doc([`title: ${q(t)}`, `summary: ${q(t)}`], body));
  });
  // A body's image names a file beside its document, hostile name and all:
  // the file is there, so the build publishes it and the page links it.
  for (const name of besideImages(bodies)) {
    for (const folder of ['content', 'content/actors', 'content/sources', 'content/incidents', 'content/demands', 'content/figures']) {
      write(root, `${folder}/${name}`, 'not an image\n');
    }
  }
}

/** The relative file names of the images in `bodies` (`![alt](name)`,
 * parentheses balanced as Markdown reads them), but addresses. */
function besideImages(bodies) {
  const names = new Set();
  for (const body of bodies) {
    let at = body.indexOf('](');
    while (at !== -1) {
      const opened = body.lastIndexOf('![', at);
      let depth = 1;
      let end = at + 2;
      while (end < body.length && depth > 0) {
        if (body[end] === '(') depth += 1;
        if (body[end] === ')') depth -= 1;
        end += 1;
      }
      const target = body.slice(at + 2, end - 1);
      const isImage = opened !== -1 && !body.slice(opened, at).includes(']');
      if (isImage && target && !/[:/@\s]/.test(target[0]) && !target.includes(':')) names.add(target);
      at = body.indexOf('](', end);
    }
  }
  return [...names];
}

/** Writes a site with one file per payload the build must refuse; returns
 * the file of each. */
export function writeRefusedSite(root) {
  base(root, 'escape');
  const written = [];
  PAYLOADS.refused_urls.forEach((url, i) => {
    const file = `content/sources/r${i}.md`;
    write(root, file, doc([`title: "Refused ${i}"`, 'kind: press', `url: ${q(url)}`, 'perspective: "x"']));
    written.push({ payload: url, file });
  });
  PAYLOADS.refused_bodies.forEach((body, i) => {
    const file = `content/refused-${i}.md`;
    write(root, file, doc([`title: "Refused body ${i}"`], body));
    written.push({ payload: body, file });
  });
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  writeSite(process.argv[2], process.argv[3] ?? 'escape');
}
