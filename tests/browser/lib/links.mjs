// The link check: every href, src, srcset and poster in the site's pages must
// either point at a file in the built site or, only as an <a href>, at an
// outside http(s) address.
import fs from 'node:fs';
import path from 'node:path';
import { sitePages, isFile, isDir } from './files.mjs';
import { tokenize } from './html.mjs';

const URL_ATTRS = new Set(['href', 'src', 'srcset', 'poster', 'xlink:href']);
// Elements whose href is a link a reader follows, not a resource the page loads.
const NAVIGATION_TAGS = new Set(['a', 'area']);

/** URLs named by one attribute (srcset lists several candidates). */
function urlsOf(name, value) {
  if (name !== 'srcset') return [value.trim()];
  return value
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/**
 * Classifies one reference. Returns `{ kind: 'skip' }` for fragment-only,
 * mailto: and other non-web schemes, `{ kind: 'external', url }` for
 * http(s) and protocol-relative URLs, `{ kind: 'local', target }` otherwise,
 * where `target` is the path inside the site (POSIX, no leading slash).
 */
export function classify(ref, fromRel) {
  if (ref === '' || ref.startsWith('#')) return { kind: 'skip' };
  if (/^(https?:)?\/\//i.test(ref)) return { kind: 'external', url: ref };
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) return { kind: 'skip' }; // mailto:, tel:, data:, ...
  // Resolve like a browser would, from the page's own URL.
  const base = new URL('http://site.invalid/' + fromRel.split('/').map(encodeURIComponent).join('/'));
  let resolved;
  try {
    resolved = new URL(ref, base);
  } catch {
    return { kind: 'local', target: null, error: 'unparsable URL' };
  }
  let target;
  try {
    target = decodeURIComponent(resolved.pathname);
  } catch {
    return { kind: 'local', target: null, error: 'bad percent-encoding' };
  }
  return { kind: 'local', target: target.replace(/^\/+/, '') };
}

/**
 * Checks every page in `root`. Returns counts and the problems found:
 * `{ pages, checked, external, broken: [{ file, line, column, ref, reason }] }`.
 */
export function checkLinks(root) {
  const pages = sitePages(root);
  const broken = [];
  let checked = 0;
  let external = 0;
  for (const rel of pages) {
    const source = fs.readFileSync(path.join(root, rel), 'utf8');
    for (const { tag, attrs } of tokenize(source)) {
      for (const attr of attrs) {
        if (!URL_ATTRS.has(attr.name)) continue;
        for (const ref of urlsOf(attr.name, attr.value)) {
          const where = { file: rel, line: attr.line, column: attr.column, ref: `<${tag} ${attr.name}="${ref}">` };
          const c = classify(ref, rel);
          if (c.kind === 'skip') continue;
          if (c.kind === 'external') {
            external++;
            if (!(NAVIGATION_TAGS.has(tag) && attr.name === 'href') || ref.startsWith('//')) {
              broken.push({ ...where, reason: 'outside resource: only <a href="http(s)://..."> may point outside the site' });
            }
            continue;
          }
          checked++;
          if (c.target === null) {
            broken.push({ ...where, reason: c.error });
            continue;
          }
          const abs = path.join(root, c.target);
          if (c.target === '' || c.target.endsWith('/')) {
            if (!isFile(path.join(abs, 'index.html'))) broken.push({ ...where, reason: `no ${c.target}index.html in the site` });
          } else if (isDir(abs)) {
            broken.push({ ...where, reason: `${c.target} is a folder: link to "${c.target}/" or its index.html` });
          } else if (!isFile(abs)) {
            broken.push({ ...where, reason: `no ${c.target} in the site` });
          }
        }
      }
    }
  }
  return { pages: pages.length, checked, external, broken };
}

/**
 * The citation check: on every page, each note reference
 * (`<a role="doc-noteref" href="#id">`) points at an element of the same
 * page with that id, and that note has a back-link
 * (`<a role="doc-backlink">`) to the reference's own id, which exists.
 * Returns `{ pages, notes, broken: [{ file, line, column, ref, reason }] }`.
 */
export function checkNotes(root) {
  const broken = [];
  let notes = 0;
  let pages = 0;
  for (const rel of sitePages(root)) {
    const tags = tokenize(fs.readFileSync(path.join(root, rel), 'utf8'));
    const attr = (t, name) => t.attrs.find((a) => a.name === name)?.value;
    const ids = new Set(tags.map((t) => attr(t, 'id')).filter(Boolean));
    const backlinks = new Set(
      tags.filter((t) => t.tag === 'a' && attr(t, 'role') === 'doc-backlink').map((t) => attr(t, 'href')),
    );
    const refs = tags.filter((t) => t.tag === 'a' && attr(t, 'role') === 'doc-noteref');
    if (refs.length > 0) pages++;
    for (const ref of refs) {
      notes++;
      const href = attr(ref, 'href') ?? '';
      const where = { file: rel, line: ref.line, column: ref.column, ref: href };
      const own = attr(ref, 'id');
      if (!href.startsWith('#') || !ids.has(href.slice(1))) {
        broken.push({ ...where, reason: 'the note it points at is not on the page' });
      } else if (!own || !backlinks.has(`#${own}`)) {
        broken.push({ ...where, reason: 'its note has no back-link to it' });
      }
    }
    for (const back of backlinks) {
      if (!ids.has(back.slice(1))) {
        broken.push({ file: rel, line: 0, column: 0, ref: back, reason: 'a back-link points at no note reference' });
      }
    }
  }
  return { pages, notes, broken };
}
