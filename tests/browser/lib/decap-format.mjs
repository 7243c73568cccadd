// How Decap CMS turns a file into an entry and an entry back into a file,
// run in node with Decap's own code (the version package-lock.json pins):
// its `yaml-frontmatter` format (decap-cms-core's ES modules, which import
// files without their extensions, hence the resolve hook), then the
// editor page's own `preSave` handler from `dossier.js`, on Immutable
// values as in the page, then the format's `toFile` with the form's field
// order, as Decap's backend writes an entry. Decap saves only a changed
// form, so the title is edited first, as the browser test edits it.
import fs from 'node:fs';
import { createRequire, register } from 'node:module';
import vm from 'node:vm';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const inDecap = context.parentURL && context.parentURL.includes('/decap-cms-core/dist/esm/');
  try {
    return await next(specifier, context);
  } catch (e) {
    if (!inDecap || /\\.m?js$/.test(specifier)) throw e;
    return next(specifier + '.js', context);
  }
}`),
);

const require = createRequire(import.meta.url);
const { frontmatterYAML } = await import('decap-cms-core/dist/esm/formats/frontmatter.js');
const { fromJS } = require('immutable');

/** The `preSave` handlers `dossier.js` registers, run as the page runs them. */
export function preSaveHandlers(script) {
  const handlers = [];
  const CMS = {
    registerEventListener: ({ name, handler }) => {
      if (name === 'preSave') handlers.push(handler);
    },
  };
  vm.runInNewContext(script, { window: { CMS }, console });
  return handlers;
}

/**
 * The file Decap writes when `text`, opened in a collection whose form has
 * the top-level fields `order`, is saved with `edit` typed at the end of
 * its title.
 */
export function decapRoundTrip(text, order, handlers, edit) {
  const format = frontmatterYAML();
  let data = fromJS(format.fromFile(text));
  data = data.set('title', `${data.get('title') ?? ''}${edit}`);
  for (const handler of handlers) {
    const result = handler({ entry: fromJS({ data: {} }).set('data', data) });
    if (result !== undefined) data = result;
  }
  return format.toFile(data.toJS(), order, {});
}

export function readScript(file) {
  return fs.readFileSync(file, 'utf8');
}
