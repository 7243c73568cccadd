// A tiny built site for testing the suite itself: clean, or with one
// deliberate breakage that a check must catch.
//
//   node lib/fixture.mjs DIR [BREAKAGE] [--search]   writes the site into DIR
//
// Breakages: broken-link, missing-alt, invalid-html, external-script,
// external-stylesheet, missing-print-title, missing-incident,
// search-misses-haditha, broken-note. With --search it also writes a /search/ page using
// Pagefind's UI; index the site afterwards with `npx pagefind --site DIR`.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const BREAKAGES = [
  'broken-link',
  'missing-alt',
  'invalid-html',
  'external-script',
  'external-stylesheet',
  'missing-print-title',
  'missing-incident',
  'search-misses-haditha',
  'broken-note',
];

const CSS = `body { font: 16px/1.5 sans-serif; margin: 0; padding: 1rem; color: #1a1a1a; background: #fff; }
a { color: #0b4f9c; }
img { max-width: 100%; height: auto; }
`;

// 1x1 transparent PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

function page({ depth, title, body, head = '' }) {
  const up = depth === 0 ? './' : '../'.repeat(depth);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Test dossier</title>
<link rel="stylesheet" href="${up}style.css">
${head}</head>
<body>
<header><a href="${up}">Test dossier</a>
<nav aria-label="Main"><ul><li><a href="${up}demands/">Demands</a></li><li><a href="${up}incidents/">Incidents</a></li><li><a href="${up}print/">Print</a></li><li><a href="${up}about/">About</a></li></ul></nav>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
<footer><p>Footer text.</p></footer>
</body>
</html>
`;
}

export function writeFixture(dir, breakage = null, { search = false } = {}) {
  if (breakage && !BREAKAGES.includes(breakage)) throw new Error(`unknown breakage ${breakage}; one of ${BREAKAGES.join(', ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const incident = 'Killings at Haditha';
  const demand = 'An independent investigation into Haditha';
  const printTitle = breakage === 'missing-print-title' ? 'Something else' : incident;

  let homeBody = `<p>Accountability for civilian deaths. Read the <a href="incidents/haditha-2005/">Haditha incident</a> and the <a href="https://www.example.org/report">outside report</a>.</p>
<p><img src="pixel.png" alt="A placeholder image" width="1" height="1"></p>`;
  let homeHead = '';
  if (breakage === 'broken-link') homeBody += '\n<p><a href="demands/no-such-demand/">A demand that was never built</a></p>';
  if (breakage === 'missing-alt') homeBody += '\n<p><img src="pixel.png" width="1" height="1"></p>';
  if (breakage === 'invalid-html') homeBody += '\n<ul><div>Not a list item</div></ul>';
  if (breakage === 'external-script') homeHead += '<script src="https://cdn.example.com/tracker.js"></script>\n';
  if (breakage === 'external-stylesheet') homeHead += '<link rel="stylesheet" href="https://fonts.example.com/font.css">\n';

  write('style.css', CSS);
  write('pixel.png', PNG);
  write('index.html', page({ depth: 0, title: 'Home', body: homeBody, head: homeHead }));
  write('demands/index.html', page({ depth: 1, title: 'Demands', body: `<ul><li><a href="independent-investigation/">${demand}</a></li></ul>` }));
  write('demands/independent-investigation/index.html', page({ depth: 2, title: demand, body: '<p>Status: unmet.</p>' }));
  write('incidents/index.html', page({ depth: 1, title: 'Incidents', body: `<ul><li><a href="haditha-2005/">${incident}</a></li></ul>` }));
  if (breakage !== 'missing-incident') {
    const text = breakage === 'search-misses-haditha' ? 'On 19 November 2005, in a town in Anbar.' : 'On 19 November 2005, in Haditha, Haditha.';
    // A cited paragraph and its notes, as the generator writes them.
    const noteTarget = breakage === 'broken-note' ? 'note-9' : 'note-1';
    const notes = `<p>${text}<sup class="note-ref"><a href="#${noteTarget}" id="note-ref-1" role="doc-noteref" aria-label="Note 1">1</a></sup></p>
<section class="notes" role="doc-endnotes" aria-labelledby="notes-title">
<h2 id="notes-title">Notes</h2>
<ol>
<li id="note-1"><a href="../../about/">A report</a>, para. 6. <a href="#note-ref-1" role="doc-backlink" aria-label="Back to the text of note 1">↩</a></li>
</ol>
</section>`;
    write('incidents/haditha-2005/index.html', page({ depth: 2, title: breakage === 'search-misses-haditha' ? 'Killings in Anbar' : incident, body: notes }));
  } else {
    fs.mkdirSync(path.join(dir, 'incidents'), { recursive: true });
  }
  write('print/index.html', page({ depth: 1, title: 'The whole dossier', body: `<h2>${demand}</h2>\n<h2>${printTitle}</h2>` }));
  write('about/index.html', page({ depth: 1, title: 'About', body: '<p>Who we are.</p>' }));
  if (search) {
    write(
      'search/index.html',
      page({
        depth: 1,
        title: 'Search',
        head: '<link rel="stylesheet" href="../pagefind/pagefind-ui.css">\n<script src="../pagefind/pagefind-ui.js"></script>\n',
        body: `<div id="search"></div>
<script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search', showSubResults: true }); });</script>`,
      }),
    );
  }
  write('404.html', page({ depth: 0, title: 'Page not found', body: '<p>Nothing here.</p>' }));
  return dir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const search = args.includes('--search');
  const [dir, breakage] = args.filter((a) => a !== '--search');
  if (!dir) {
    console.error(`usage: node lib/fixture.mjs DIR [${BREAKAGES.join('|')}]`);
    process.exit(2);
  }
  writeFixture(path.resolve(dir), breakage ?? null, { search });
  console.log(`wrote ${breakage ?? 'clean'} fixture site to ${path.resolve(dir)}`);
}
