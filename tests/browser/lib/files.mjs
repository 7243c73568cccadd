// Walking the built site: every file, sorted, as POSIX paths relative to the root.
import fs from 'node:fs';
import path from 'node:path';
import { VERBATIM_DIRS } from './env.mjs';

export function walk(root) {
  const out = [];
  const visit = (rel) => {
    const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(child);
      else if (e.isFile()) out.push(child);
    }
  };
  visit('');
  return out;
}

/** The site's own HTML pages: every .html file outside the verbatim folders. */
export function sitePages(root) {
  return walk(root).filter(
    (rel) => /\.html?$/i.test(rel) && !VERBATIM_DIRS.includes(rel.split('/')[0]),
  );
}

/** Sorted names of the sub-folders of `dir` (empty if `dir` is absent). */
export function subfolders(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

export function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
