// Which pages of the built site the browser visits: one of each page type,
// with concrete URLs taken from the output tree (the first folder
// alphabetically in each collection).
import path from 'node:path';
import fs from 'node:fs';
import { isDir, isFile, subfolders } from './files.mjs';

export const COLLECTIONS = ['demands', 'incidents', 'actors', 'sources', 'figures'];
export const TAXONOMIES = ['tags', 'places'];
export const FREE_PAGES = ['about', 'methodology', 'guide'];
// Page types the site cannot do without: their absence fails the suite.
export const REQUIRED = ['home', 'demand', 'incident'];

/** The folders of the site's other language editions (`ar/`, ...): a folder
 * named by a language code whose index.html says it is in that language. */
export function languageFolders(root) {
  return subfolders(root).filter((f) => {
    const home = path.join(root, f, 'index.html');
    return /^[a-z]{2,3}(-[a-z0-9]+)?$/.test(f) && isFile(home) && new RegExp(`<html[^>]*\\slang="${f}"`).test(fs.readFileSync(home, 'utf8'));
  });
}

/**
 * Returns `{ pages, skipped, missing }` for the edition under `lang/` (the
 * default language's at the root when `lang` is empty; names then carry
 * `-lang`, and there is no 404 page of its own):
 * - pages: `[{ name, url, file }]` to visit (file relative to the root),
 * - skipped: `[{ name, reason }]` types whose folder does not exist (yet),
 * - missing: `[{ name, reason }]` types that should be there and are not:
 *   a required type, or a folder that exists without its index.html.
 */
export function pageTypes(root, lang = '') {
  const pages = [];
  const skipped = [];
  const missing = [];
  const required = (name) => REQUIRED.includes(name);
  const suffix = lang ? `-${lang}` : '';
  const within = (folder) => [lang, folder].filter(Boolean).join('/');

  // A page that is its folder's index.html: `folder` relative to the edition.
  const folderPage = (type, inEdition) => {
    const name = type + suffix;
    const folder = within(inEdition);
    const url = folder ? `/${folder}/` : '/';
    const file = folder ? `${folder}/index.html` : 'index.html';
    if (isFile(path.join(root, file))) pages.push({ name, url, file });
    else if (inEdition && !isDir(path.join(root, folder)) && !required(type))
      skipped.push({ name, reason: `no ${folder}/ folder in the build yet` });
    else missing.push({ name, reason: `${file} is missing` });
  };
  // One item of a collection: the first sub-folder alphabetically.
  const itemPage = (type, inEdition) => {
    const name = type + suffix;
    const collection = within(inEdition);
    const first = subfolders(path.join(root, collection))[0];
    if (first === undefined) {
      const reason = `no ${collection}/<slug>/ folder in the build`;
      if (required(type)) missing.push({ name, reason });
      else skipped.push({ name, reason: `${reason} yet` });
      return;
    }
    const file = `${collection}/${first}/index.html`;
    if (isFile(path.join(root, file))) pages.push({ name, url: `/${collection}/${first}/`, file });
    else missing.push({ name, reason: `${file} is missing` });
  };

  folderPage('home', '');
  for (const c of COLLECTIONS) {
    folderPage(c, c);
    itemPage(c.replace(/s$/, ''), c);
  }
  folderPage('timeline', 'timeline');
  for (const t of TAXONOMIES) itemPage(t.replace(/s$/, ''), t);
  folderPage('print', 'print');
  folderPage('search', 'search');
  // The map exists only when the theme or site has geography data.
  folderPage('map', 'map');
  // One 404 page serves the whole site.
  if (!lang) {
    if (isFile(path.join(root, '404.html'))) pages.push({ name: 'not-found', url: '/404.html', file: '404.html' });
    else skipped.push({ name: 'not-found', reason: 'no 404.html in the build yet' });
  }
  for (const f of FREE_PAGES) folderPage(`page-${f}`, f);

  return { pages, skipped, missing };
}

/**
 * Titles of every demand and incident, for the print page: from
 * data/dossier.json when it exists and lists them, else from the <h1> of each
 * demands/<slug>/index.html and incidents/<slug>/index.html.
 * Returns `{ from, titles: [{ collection, slug, title }] }`.
 */
export function dossierTitles(root, firstH1) {
  const json = path.join(root, 'data', 'dossier.json');
  if (isFile(json)) {
    const fromJson = titlesFromJson(JSON.parse(fs.readFileSync(json, 'utf8')));
    if (fromJson.length > 0) return { from: 'data/dossier.json', titles: fromJson };
  }
  const titles = [];
  for (const collection of ['demands', 'incidents']) {
    for (const slug of subfolders(path.join(root, collection))) {
      const file = path.join(root, collection, slug, 'index.html');
      if (!isFile(file)) continue;
      const title = firstH1(fs.readFileSync(file, 'utf8'));
      titles.push({ collection, slug, title });
    }
  }
  return { from: '<h1> of each demand and incident page', titles };
}

// dossier.json's exact shape belongs to the site; accept the likely ones:
// `{ demands: [...], incidents: [...] }` (possibly under `collections`), each
// an array or a map by slug, whose items carry `title` directly or in
// `front_matter`/`meta`. Drafts and translations (items whose language is not
// the default one) are left out: the print page is the default language's.
function titlesFromJson(data) {
  const holder = data?.collections && typeof data.collections === 'object' ? data.collections : data;
  const candidates = [];
  for (const collection of ['demands', 'incidents']) {
    const items = holder?.[collection];
    if (!items || typeof items !== 'object') continue;
    const entries = Array.isArray(items) ? items.map((v) => [v?.slug, v]) : Object.entries(items);
    for (const [key, item] of entries) {
      const meta = item?.front_matter ?? item?.meta ?? item ?? {};
      const title = item?.title ?? meta.title;
      if (typeof title !== 'string') continue;
      if (item?.draft === true || meta.draft === true) continue;
      const lang = item?.lang ?? item?.language ?? meta.lang ?? meta.language;
      candidates.push({ collection, slug: item?.slug ?? key, title, lang });
    }
  }
  // The default language: as the file states it, else the most common one.
  let defaultLang = data?.default_language ?? data?.site?.default_language ?? data?.config?.default_language;
  if (!defaultLang) {
    const counts = new Map();
    for (const c of candidates) if (c.lang) counts.set(c.lang, (counts.get(c.lang) ?? 0) + 1);
    defaultLang = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  }
  return candidates
    .filter((c) => !c.lang || !defaultLang || c.lang === defaultLang)
    .map(({ collection, slug, title }) => ({ collection, slug, title }));
}
