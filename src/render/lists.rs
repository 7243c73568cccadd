//! The pages of a list (a collection's list, a term's page): its entries in
//! the order the theme shows them, grouped under headings, and cut into
//! pages of [`LIST_PAGE_SIZE`], each page with the headings of the whole
//! list (for its jump links) and the links to the other pages.
//!
//! The grouping is decided here, not in the templates, because a page
//! holds only part of a list: the templates could not count a group, or
//! find the page a group starts on, from the part they see. Each list is
//! put in order and counted once per language ([`Lists`]), when the first
//! of its pages renders; every page of it then takes its slice.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tera::Value;

use crate::graph::{DocId, Graph, Taxonomy, Term};
use crate::model::{Collection, DocKind, Fields};
use crate::urls::{LIST_PAGE_SIZE, TIMELINE_PAGE_SIZE, list_page_count, list_page_output};

/// What a heading groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// An incident's year; `None` for the undated.
    Year(Option<i16>),
    /// A keyword (a kind, a status) or a collection's name.
    Word(&'static str),
}

impl Key {
    fn value(self) -> Value {
        match self {
            Key::Year(Some(year)) => Value::from(year),
            Key::Year(None) => Value::none(),
            Key::Word(word) => Value::from(word),
        }
    }
}

/// An entry of a list (a document, or an event of the timeline), with its
/// heading and, for demands, the heading under that (the status within the
/// kind).
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The document, or the event's place in the timeline.
    id: usize,
    group: Key,
    subgroup: Option<Key>,
}

/// A collection's entries as its list shows them, in `lang`: incidents by
/// year in the collection's order (newest first); demands by kind, then
/// status, in the model's order of those words; actors by kind, then by
/// title as `lang` shows it; sources by kind in the collection's order;
/// figures ungrouped.
fn collection_entries(graph: &Graph, collection: Collection, lang: Option<&str>) -> Vec<Entry> {
    let mut entries: Vec<(Entry, (u8, u8))> = graph
        .entries(collection)
        .map(|id| {
            let (group, subgroup, rank) = match &graph.documents[id].fields {
                Fields::Incident(_) => (
                    Key::Year(graph.documents[id].date().map(|d| d.year)),
                    None,
                    (0, 0),
                ),
                Fields::Demand(demand) => (
                    Key::Word(demand.kind.as_str()),
                    Some(Key::Word(demand.status.as_str())),
                    (demand.kind as u8, demand.status as u8),
                ),
                Fields::Actor(actor) => {
                    (Key::Word(actor.kind.as_str()), None, (actor.kind as u8, 0))
                }
                Fields::Source(source) => (
                    Key::Word(source.kind.as_str()),
                    None,
                    (source.kind as u8, 0),
                ),
                Fields::Figure(_) | Fields::Page => (Key::Word(collection.name()), None, (0, 0)),
            };
            let entry = Entry {
                id,
                group,
                subgroup,
            };
            (entry, rank)
        })
        .collect();
    let title = |id: DocId| {
        let document = &graph.documents[id];
        let shown = graph
            .get_in(document.kind, &document.slug, lang)
            .unwrap_or(id);
        graph.documents[shown].common.title.as_str()
    };
    // Stable sorts: within a group, the collection's own order.
    if collection == Collection::Actors {
        entries.sort_by(|(a, rank_a), (b, rank_b)| {
            rank_a
                .cmp(rank_b)
                .then_with(|| title(a.id).cmp(title(b.id)))
        });
    } else {
        entries.sort_by_key(|(_, rank)| *rank);
    }
    entries.into_iter().map(|(entry, _)| entry).collect()
}

/// A term's documents as its page shows them: by collection in the model's
/// order, then the free pages, each in the site's order.
fn term_entries(graph: &Graph, term: &Term) -> Vec<Entry> {
    let mut entries: Vec<(Entry, usize)> = term
        .documents
        .iter()
        .map(|&id| {
            let (group, rank) = match graph.documents[id].kind {
                DocKind::Entry(c) => (
                    Key::Word(c.name()),
                    Collection::ALL.iter().position(|&x| x == c).unwrap_or(0),
                ),
                DocKind::Home | DocKind::Page => (Key::Word("pages"), Collection::ALL.len()),
            };
            let entry = Entry {
                id,
                group,
                subgroup: None,
            };
            (entry, rank)
        })
        .collect();
    entries.sort_by_key(|(_, rank)| *rank);
    entries.into_iter().map(|(entry, _)| entry).collect()
}

/// What one page of a list gives its template.
pub(crate) struct ListPage {
    /// The entries on this page, in order.
    pub(crate) items: Vec<Value>,
    /// This page's entries under their headings: each section has `key`,
    /// `count` (the group's entries on every page), `continued` (the group
    /// began on an earlier page), `items` and, for demands, `sections`.
    pub(crate) sections: Value,
    /// Every heading of the whole list: `key`, `count`, `href` (the page
    /// it begins on, from the site root) and `here` (it begins on this
    /// page).
    pub(crate) groups: Value,
    /// How many entries the whole list has.
    pub(crate) total: usize,
    /// The links between the list's pages; none when it has one page.
    pub(crate) pager: Value,
}

/// Which list a page is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ListOf {
    Collection(Collection),
    /// A term by its index among the taxonomy's terms.
    Term(Taxonomy, usize),
    Timeline,
}

/// A whole list in order, with the count of each heading and where each
/// begins.
struct Ordered {
    entries: Vec<Entry>,
    /// Each heading's entries, by (heading, subheading), and by
    /// (heading, `None`) for the heading as a whole.
    counts: BTreeMap<(Key, Option<Key>), usize>,
    /// The place of the first entry under each of those.
    firsts: BTreeMap<(Key, Option<Key>), usize>,
    /// The headings in order, each with the place of its first entry.
    groups: Vec<(Key, usize)>,
}

impl Ordered {
    fn new(entries: Vec<Entry>) -> Ordered {
        let mut counts: BTreeMap<(Key, Option<Key>), usize> = BTreeMap::new();
        let mut firsts = BTreeMap::new();
        let mut groups: Vec<(Key, usize)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let mut keys = vec![(entry.group, None)];
            if entry.subgroup.is_some() {
                keys.push((entry.group, entry.subgroup));
            }
            for key in keys {
                *counts.entry(key).or_default() += 1;
                firsts.entry(key).or_insert(i);
            }
            if groups.last().is_none_or(|(key, _)| *key != entry.group) {
                groups.push((entry.group, i));
            }
        }
        Ordered {
            entries,
            counts,
            firsts,
            groups,
        }
    }
}

/// The lists of one language, each put in order when the first of its
/// pages renders and shared by the others.
#[derive(Default)]
pub(crate) struct Lists(Mutex<HashMap<ListOf, Arc<Ordered>>>);

impl Lists {
    fn get(&self, list: ListOf, entries: impl FnOnce() -> Vec<Entry>) -> Arc<Ordered> {
        let mut lists = self.0.lock().unwrap_or_else(|e| e.into_inner());
        Arc::clone(
            lists
                .entry(list)
                .or_insert_with(|| Arc::new(Ordered::new(entries()))),
        )
    }
}

/// Page `page` of the list of `collection`, whose first page is in
/// `folder` (`incidents/`, `ar/incidents/`).
pub(crate) fn collection_page(
    lists: &Lists,
    graph: &Graph,
    collection: Collection,
    lang: Option<&str>,
    folder: &str,
    page: usize,
    item: &dyn Fn(DocId) -> Value,
) -> ListPage {
    let list = lists.get(ListOf::Collection(collection), || {
        collection_entries(graph, collection, lang)
    });
    list_page(&list, LIST_PAGE_SIZE, folder, page, item)
}

/// Page `page` of the documents of term `i` of `taxonomy`, whose first
/// page is in `folder`.
pub(crate) fn term_page(
    lists: &Lists,
    graph: &Graph,
    (taxonomy, i): (Taxonomy, usize),
    folder: &str,
    page: usize,
    item: &dyn Fn(DocId) -> Value,
) -> ListPage {
    let list = lists.get(ListOf::Term(taxonomy, i), || {
        term_entries(graph, &taxonomy.terms(graph)[i])
    });
    list_page(&list, LIST_PAGE_SIZE, folder, page, item)
}

/// Page `page` of the timeline, whose first page is in `folder`: the
/// events (`(year, event)`, in order) under their years.
pub(crate) fn timeline_page(
    lists: &Lists,
    events: &[(i16, Value)],
    folder: &str,
    page: usize,
) -> ListPage {
    let list = lists.get(ListOf::Timeline, || {
        events
            .iter()
            .enumerate()
            .map(|(i, (year, _))| Entry {
                id: i,
                group: Key::Year(Some(*year)),
                subgroup: None,
            })
            .collect()
    });
    let item = |i: usize| events[i].1.clone();
    list_page(&list, TIMELINE_PAGE_SIZE, folder, page, &item)
}

impl ListPage {
    /// Gives the page to its template: `items`, `sections`, `groups`,
    /// `total` and `pager`.
    pub(crate) fn insert_into(self, context: &mut tera::Context) {
        context.insert_value("items", Value::from(self.items));
        context.insert_value("sections", self.sections);
        context.insert_value("groups", self.groups);
        context.insert("total", &self.total);
        context.insert_value("pager", self.pager);
    }
}

fn list_page(
    list: &Ordered,
    size: usize,
    folder: &str,
    page: usize,
    item: &dyn Fn(usize) -> Value,
) -> ListPage {
    let entries = &list.entries;
    let pages = list_page_count(entries.len(), size);
    let href = |n: usize| list_page_output(folder, n);
    let start = (page * size).min(entries.len());
    let end = (start + size).min(entries.len());
    let shown = &entries[start..end];

    let items: Vec<Value> = shown.iter().map(|entry| item(entry.id)).collect();
    let section = |key: (Key, Option<Key>), at: usize, items: Vec<Value>, sections: Vec<Value>| {
        Value::from(BTreeMap::from([
            ("key", key.1.unwrap_or(key.0).value()),
            ("count", Value::from(list.counts[&key])),
            ("continued", Value::from(list.firsts[&key] < at)),
            ("items", Value::from(items)),
            ("sections", Value::from(sections)),
        ]))
    };
    let mut sections = Vec::new();
    let mut i = 0;
    while i < shown.len() {
        let group = shown[i].group;
        let len = shown[i..].iter().take_while(|e| e.group == group).count();
        let run = &shown[i..i + len];
        let mut subsections = Vec::new();
        let mut j = 0;
        while j < run.len() {
            let Some(sub) = run[j].subgroup else { break };
            let sub_len = run[j..]
                .iter()
                .take_while(|e| e.subgroup == Some(sub))
                .count();
            let sub_items = items[i + j..i + j + sub_len].to_vec();
            subsections.push(section(
                (group, Some(sub)),
                start + i + j,
                sub_items,
                Vec::new(),
            ));
            j += sub_len;
        }
        sections.push(section(
            (group, None),
            start + i,
            items[i..i + len].to_vec(),
            subsections,
        ));
        i += len;
    }

    let groups: Vec<Value> = list
        .groups
        .iter()
        .map(|&(key, first)| {
            let on = first / size;
            Value::from(BTreeMap::from([
                ("key", key.value()),
                ("count", Value::from(list.counts[&(key, None)])),
                ("href", Value::from(href(on))),
                ("here", Value::from(on == page)),
            ]))
        })
        .collect();

    let pager = if pages == 1 {
        Value::none()
    } else {
        let link = |n: usize| Value::from(href(n));
        let links: Vec<Value> = (0..pages)
            .map(|n| {
                Value::from(BTreeMap::from([
                    ("number", Value::from(n + 1)),
                    ("href", link(n)),
                    ("current", Value::from(n == page)),
                ]))
            })
            .collect();
        Value::from(BTreeMap::from([
            ("number", Value::from(page + 1)),
            ("count", Value::from(pages)),
            ("prev", page.checked_sub(1).map_or_else(Value::none, link)),
            (
                "next",
                if page + 1 < pages {
                    link(page + 1)
                } else {
                    Value::none()
                },
            ),
            ("pages", Value::from(links)),
        ]))
    };

    ListPage {
        items,
        sections: Value::from(sections),
        groups: Value::from(groups),
        total: entries.len(),
        pager,
    }
}
