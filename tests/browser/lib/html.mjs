// Reading built HTML: a small tokenizer that finds every tag and attribute
// with its line and column (html-validate's parser skips the inside of
// <svg>, where <use href> and <image href> live), and the html-validate
// configuration used to check that each page is valid HTML.
import { HtmlValidate, StaticConfigLoader } from 'html-validate';

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      try {
        return String.fromCodePoint(n);
      } catch {
        return m;
      }
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

// Elements whose content is raw text: a `<` inside them is not a tag.
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

/**
 * Where the first `</tag` at or after `from` starts, in any case; the end
 * of `source` when there is none. Only the candidates are lower-cased: once
 * V8 has optimised `toLowerCase` on pages of one-byte text, lower-casing a
 * whole page of Arabic took it 40 s instead of 30 ms.
 */
function closingTag(source, tag, from) {
  for (let k = source.indexOf('</', from); k >= 0; k = source.indexOf('</', k + 2)) {
    if (source.slice(k + 2, k + 2 + tag.length).toLowerCase() === tag) return k;
  }
  return source.length;
}

/**
 * Every start tag in `source`, in document order:
 * `{ tag, attrs: [{ name, value, line, column }], line, column }`.
 * Comments and the content of raw-text elements are skipped. Names are lower-cased.
 */
export function tokenize(source) {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  const position = (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };

  const tags = [];
  const attrRe = /\s*([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      i = end < 0 ? source.length : end + 3;
      continue;
    }
    const m = /^<([a-zA-Z][^\s\/>]*)/.exec(source.slice(lt, lt + 200));
    if (!m) {
      // End tag, doctype, processing instruction or a stray `<`.
      const gt = source.indexOf('>', lt + 1);
      i = source[lt + 1] === '/' || source[lt + 1] === '!' || source[lt + 1] === '?' ? (gt < 0 ? source.length : gt + 1) : lt + 1;
      continue;
    }
    const tag = m[1].toLowerCase();
    const attrs = [];
    let j = lt + m[0].length;
    for (;;) {
      while (j < source.length && /\s|\//.test(source[j])) j++;
      if (j >= source.length || source[j] === '>') break;
      attrRe.lastIndex = j;
      const a = attrRe.exec(source);
      if (!a || a[0].length === 0) {
        j++;
        continue;
      }
      const nameOffset = j + a[0].indexOf(a[1]);
      const raw = a[2] ?? a[3] ?? a[4];
      attrs.push({ name: a[1].toLowerCase(), value: raw === undefined ? '' : decodeEntities(raw), ...position(nameOffset) });
      j = attrRe.lastIndex;
    }
    tags.push({ tag, attrs, ...position(lt) });
    i = j + 1;
    if (RAW_TEXT.has(tag)) {
      i = closingTag(source, tag, i);
    }
  }
  return tags;
}

/** Text of the first <h1> in `source`, with tags removed and spaces collapsed. */
export function firstH1(source) {
  const m = /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i.exec(source);
  if (!m) return null;
  return normalizeText(decodeEntities(m[1].replace(/<[^>]*>/g, '')));
}

/** Collapses whitespace and folds typographic quotes and dashes to ASCII. */
export function normalizeText(s) {
  return s
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[\s\u00a0\u200b]+/g, ' ')
    .trim();
}

// Validity, not style. `html-validate:standard` is the HTML standard itself
// (content models, required attributes, duplicate ids, unknown elements and
// character references, deprecated markup); `html-validate:document` adds
// what a whole document must get right (a doctype, heading levels that do not
// skip, labels on inputs, aria references that point at existing ids).
// `html-validate:recommended` is not used: it adds rules of house style such
// as attribute quoting, void-element style and no trailing whitespace.
export const VALIDATOR_CONFIG = {
  extends: ['html-validate:standard', 'html-validate:document'],
  elements: ['html5'],
  rules: {
    // The document preset asks for an `integrity` attribute on every
    // <script src> and <link href>, even same-origin ones, which is a
    // security policy for CDNs rather than validity; the site must not load
    // anything cross-origin at all (the link check enforces that), so keep
    // the rule only for cross-origin resources.
    'require-sri': ['error', { target: 'crossorigin' }],
  },
};

let validator;
export function htmlValidator() {
  validator ??= new HtmlValidate(new StaticConfigLoader(VALIDATOR_CONFIG));
  return validator;
}

/**
 * Validates one page. Resolves to `[{ line, column, ruleId, message, severity }]`,
 * severity 2 for errors and 1 for warnings.
 */
export async function validateHtml(source, filename) {
  const report = await htmlValidator().validateString(source, filename);
  return report.results.flatMap((r) =>
    r.messages.map((m) => ({ line: m.line, column: m.column, ruleId: m.ruleId, message: m.message, severity: m.severity })),
  );
}
