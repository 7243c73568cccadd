// The web editor's own widgets, for the two kinds of value the dossier's
// front matter lets an editor write in more than one form. Decap's stock
// widgets hold one shape each: an `object` widget given a plain slug or a
// plain number hands that value to each of its fields and fails on the
// first change, so these two wrap Decap's object control and translate.
//
//   source  a source reference: `slug`, or `{source, locator, quote}`. The
//           form always shows the three fields; what is saved is the slug
//           alone while no locator or quote is given, the mapping once one
//           is.
//   sources a list of source references, each shown whole to its
//           `source` widget.
//   count   a count of people: `24`, `{min, max}`, `{min}` (at least),
//           `{min, wording: more-than}`, `{max}` (up to), `{max, wording:
//           fewer-than|nearly}`, `{about}`. The form asks how the source
//           gives it and the number(s), and writes that form back.
//
// A value nobody touches is saved exactly as it was read: Decap keeps the
// loaded value until its widget reports a change, and these widgets
// report the value they were given when nothing in their form changed.
// Before each save, empty values (which Decap writes for a cleared field)
// are dropped, since the build reads a missing key and an empty one alike
// and refuses `''` where it expects a number.
//
// The page's other lines come from `dossier cms`: LANGUAGES, the codes of
// the site's other languages, whose `slug.LANG.md` translations are kept
// out of the default-language collections (Decap lists every file that
// ends in `.md` there) and edited in collections of their own.
(function () {
  'use strict';
  var CMS = window.CMS;
  if (!CMS) return;

  function blank(v) {
    return v === undefined || v === null || v === '' || (typeof v === 'number' && isNaN(v));
  }
  // Immutable's maps and lists (a list has `push`, a map has not).
  function isMap(v) {
    return !!v && typeof v === 'object' && typeof v.get === 'function' && typeof v.set === 'function' && typeof v.keySeq === 'function';
  }
  function isList(v) {
    return !!v && typeof v === 'object' && typeof v.get === 'function' && typeof v.push === 'function';
  }
  // Drops empty values at every depth of a map or list.
  function withoutBlanks(value) {
    if (isList(value)) return value.filter(function (v) { return !blank(v); }).map(withoutBlanks);
    if (isMap(value)) return value.filter(function (v) { return !blank(v); }).map(withoutBlanks);
    return value;
  }
  if (typeof CMS.registerEventListener === 'function') {
    CMS.registerEventListener({
      name: 'preSave',
      handler: function (event) { return withoutBlanks(event.entry.get('data')); },
    });
  }

  // Translations out of the default-language collections: every backend
  // lists a folder by file-name ending, so `x.ar.md` ends in `.md` too.
  var translation = new RegExp('\\.(' + LANGUAGES.join('|') + ')\\.md$');
  function originalsOnly(files, extension) {
    if (extension !== 'md' || LANGUAGES.length === 0 || !Array.isArray(files)) return files;
    return files.filter(function (file) { return !translation.test(file.path || (file.file && file.file.path) || ''); });
  }
  if (typeof CMS.getBackend === 'function') {
    ['proxy', 'github', 'gitlab', 'gitea', 'forgejo', 'bitbucket', 'azure', 'git-gateway', 'aws-cognito-github-proxy', 'test-repo'].forEach(function (name) {
      var backend = CMS.getBackend(name);
      if (!backend || backend.dossier) return;
      var init = backend.init;
      backend.dossier = true;
      backend.init = function () {
        var implementation = init.apply(null, arguments);
        ['entriesByFolder', 'allEntriesByFolder'].forEach(function (method) {
          var list = implementation[method];
          if (typeof list !== 'function') return;
          implementation[method] = function (folder, extension) {
            return Promise.resolve(list.apply(implementation, arguments)).then(function (files) {
              return originalsOnly(files, extension);
            });
          };
        });
        return implementation;
      };
    });
  }

  if (typeof CMS.getWidget !== 'function' || !CMS.getWidget('object')) return;
  var h = window.h;
  var createClass = window.createClass;
  var object = CMS.getWidget('object');
  var ObjectControl = object.control;
  // Decap's values are Immutable maps; the object control's default value
  // is an empty one, the only way to one this page has.
  var EMPTY = ObjectControl.defaultProps.value;

  function mapOf(pairs) {
    return pairs.reduce(function (map, pair) { return blank(pair[1]) ? map : map.set(pair[0], pair[1]); }, EMPTY);
  }

  // A widget that shows `toForm(value)` in Decap's object control and
  // reports `toWritten(form, value)` as its value; the preview pane shows
  // `describe(form)` (Decap's object preview lists its fields, not their
  // values). `kind`, when the form has one, is remembered while the entry
  // is open, so that choosing "range" before typing its second number
  // keeps the choice.
  function register(name, toForm, toWritten, describe) {
    var Control = createClass({
      getInitialState: function () { return { kind: null }; },
      form: function () {
        var form = toForm(this.props.value);
        return this.state.kind === null ? form : form.set('kind', this.state.kind);
      },
      onChangeObject: function (field, value, metadata) {
        var key = field.get('name');
        if (key === 'kind') this.setState({ kind: value });
        var meta;
        if (metadata) {
          meta = {};
          meta[this.props.field.get('name')] = metadata;
        }
        var form = this.form();
        var changed = form.set(key, value);
        // A relation widget reports the value it was given once its
        // options load, to record their metadata: that is no change, and
        // the value stays as it was written (`{source: x}` stays so).
        if (changed.equals(form)) {
          this.props.onChange(this.props.value, meta);
          return;
        }
        var written = toWritten(changed, this.props.value);
        var empty = blank(written) || (isMap(written) && written.size === 0);
        this.props.onChange(empty ? null : written, meta);
      },
      validate: function () {
        if (this.inner && this.inner.validate) this.inner.validate();
      },
      render: function () {
        var self = this;
        return h(ObjectControl, Object.assign({}, this.props, {
          value: this.form(),
          onChangeObject: this.onChangeObject,
          ref: function (control) { self.inner = control; },
        }));
      },
    });
    var Preview = function (props) {
      return h('p', null, describe(toForm(props.value)));
    };
    // `allowMapValue`: Decap's preview pane otherwise hands a widget whose
    // value is a mapping the mapping's key of the field's name.
    CMS.registerWidget({ name: name, controlComponent: Control, previewComponent: Preview, allowMapValue: true });
  }

  // A list of source references (`sources`): Decap's list control, whose
  // items are shown through an object control that hands a one-field
  // list's widget `item.get(FIELD)` when the item is a mapping, so that a
  // `{source, locator, quote}` item would reach the `source` widget as its
  // slug alone (and its first change would save it so). Each item goes to
  // the list wrapped as `{FIELD: item}`, which that object control
  // unwraps, and comes back unwrapped: FIELD, the name `dossier cms` gives
  // the list's field, is no key of a reference, so a wrapped item is never
  // taken for one.
  var FIELD = 'reference';
  var list = CMS.getWidget('list');
  if (list) {
    var ListControl = list.control;
    var wrap = function (items) {
      return isList(items) ? items.map(function (item) { return EMPTY.set(FIELD, item); }) : items;
    };
    var unwrap = function (items) {
      return isList(items)
        ? items.map(function (item) { return isMap(item) && item.size === 1 && item.has(FIELD) ? item.get(FIELD) : item; })
        : items;
    };
    var Sources = createClass({
      onChangeList: function (value, metadata) {
        this.props.onChange(unwrap(value), metadata);
      },
      validate: function () {
        if (this.inner && this.inner.validate) this.inner.validate();
      },
      render: function () {
        var self = this;
        return h(ListControl, Object.assign({}, this.props, {
          value: wrap(this.props.value),
          onChange: this.onChangeList,
          ref: function (control) { self.inner = control; },
        }));
      },
    });
    CMS.registerWidget('sources', Sources, list.preview);
  }

  register(
    'source',
    function (value) {
      if (typeof value === 'string') return mapOf([['source', value]]);
      return isMap(value) ? value : EMPTY;
    },
    function (form) {
      var kept = withoutBlanks(form);
      var others = kept.filter(function (v, key) { return key !== 'source'; });
      if (others.size === 0) return kept.get('source');
      return kept;
    },
    function (form) {
      return [form.get('source'), form.get('locator'), form.get('quote')].filter(function (v) { return !blank(v); }).join(', ');
    },
  );

  register(
    'count',
    function (value) {
      if (typeof value === 'number') return mapOf([['kind', 'exact'], ['number', value]]);
      if (!isMap(value)) return EMPTY;
      var min = value.get('min');
      var max = value.get('max');
      var about = value.get('about');
      var wording = value.get('wording');
      if (!blank(about)) return mapOf([['kind', 'about'], ['number', about]]);
      if (!blank(min) && !blank(max)) return mapOf([['kind', 'range'], ['number', min], ['to', max]]);
      if (!blank(min)) return mapOf([['kind', wording || 'at-least'], ['number', min]]);
      if (!blank(max)) return mapOf([['kind', wording || 'up-to'], ['number', max]]);
      return EMPTY;
    },
    function (form, before) {
      var kind = form.get('kind') || 'exact';
      var n = form.get('number');
      // `wording: at-least` (or `up-to`), the default, stays written if it was.
      var written = isMap(before) ? before.get('wording') : undefined;
      var kept = written === kind ? written : undefined;
      switch (kind) {
        case 'exact': return n;
        case 'range': return mapOf([['min', n], ['max', form.get('to')]]);
        case 'at-least': return mapOf([['min', n], ['wording', kept]]);
        case 'more-than': return mapOf([['min', n], ['wording', kind]]);
        case 'up-to': return mapOf([['max', n], ['wording', kept]]);
        case 'fewer-than':
        case 'nearly': return mapOf([['max', n], ['wording', kind]]);
        case 'about': return mapOf([['about', n]]);
        default: return n;
      }
    },
    function (form) {
      if (blank(form.get('number'))) return '';
      var to = blank(form.get('to')) ? '' : '–' + form.get('to');
      return (form.get('kind') || 'exact').replace('-', ' ') + ' ' + form.get('number') + to;
    },
  );
})();
