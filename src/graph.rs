//! The links between documents: resolving every reference, computing
//! backlinks, and gathering the `tags` and `places` taxonomies.
//!
//! Everything is resolved through maps built once, never by scanning the
//! documents for each reference, so linking stays linear in the size of the
//! dossier. Missing targets become diagnostics that point at the reference
//! and name the closest existing slug. This module reads no files.

use std::collections::{BTreeMap, HashSet};

// Lookups by slug are the linker's inner loop; ahash is several times faster
// than the default SipHash there, and nothing iterates these maps in an
// order that reaches the output.
type HashMap<K, V> = ahash::AHashMap<K, V>;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Lines, closest};
use crate::markdown::{INTERNAL_PREFIX, split_fragment};
use crate::model::{Collection, DocKind, Document, Fields, Unread, compare_for_list};

pub type DocId = usize;

/// A document that points at another, and through which field (`body` for a
/// link in the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    pub from: DocId,
    pub field: &'static str,
}

/// One value of a taxonomy (a tag, a governorate) and the documents filed
/// under it, in list order.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub documents: Vec<DocId>,
}

#[derive(Debug, Clone)]
pub struct Graph {
    /// Sorted by kind, then list order; ids index this vector.
    /// Shared, so that an editing session can keep an old graph while it
    /// builds the next one without copying every document.
    pub documents: Vec<Arc<Document>>,
    /// Default-language documents by kind and slug.
    index: HashMap<DocKind, HashMap<String, DocId>>,
    /// Translations by kind, slug and language.
    /// Translations by kind and slug, then language (sorted, so a page
    /// lists its languages in a stable order).
    translations: HashMap<DocKind, HashMap<String, BTreeMap<String, DocId>>>,
    /// Who points at each document, by id.
    pub backlinks: Vec<Vec<Backlink>>,
    pub tags: Vec<Term>,
    pub places: Vec<Term>,
    /// Slugs of drafts left out of this build, which references may name
    /// without breaking it.
    drafts: HashSet<(DocKind, String)>,
    /// Documents whose files have errors: references to them are not
    /// reported again, the file's own error says what to fix.
    broken: HashSet<(DocKind, String)>,
    /// The files of the site that bodies name (images, attachments), by
    /// their path in the output: filled by `images::check_files` after
    /// linking, read by pages.
    pub files: BTreeMap<String, crate::model::FileFacts>,
}

impl Graph {
    /// The default-language document of this kind and slug.
    pub fn get(&self, kind: DocKind, slug: &str) -> Option<DocId> {
        self.index
            .get(&kind)
            .and_then(|slugs| slugs.get(slug))
            .copied()
    }

    /// The version of a document in `lang`, falling back to the default
    /// language when it has not been translated.
    pub fn get_in(&self, kind: DocKind, slug: &str, lang: Option<&str>) -> Option<DocId> {
        if let Some(lang) = lang
            && let Some(&id) = self.languages_of(kind, slug).and_then(|l| l.get(lang))
        {
            return Some(id);
        }
        self.get(kind, slug)
    }

    /// The languages a document has been translated into, with their ids.
    pub fn translations_of(&self, kind: DocKind, slug: &str) -> Vec<(String, DocId)> {
        self.languages_of(kind, slug)
            .map(|l| l.iter().map(|(lang, &id)| (lang.clone(), id)).collect())
            .unwrap_or_default()
    }

    fn languages_of(&self, kind: DocKind, slug: &str) -> Option<&BTreeMap<String, DocId>> {
        self.translations
            .get(&kind)
            .and_then(|slugs| slugs.get(slug))
    }

    /// Ids of the default-language entries of a collection, in list order.
    /// Whether `slug` names a draft left out of this build.
    pub fn is_draft(&self, kind: DocKind, slug: &str) -> bool {
        self.drafts.contains(&(kind, slug.to_string()))
    }

    /// Whether `slug` names a document whose front matter has an error
    /// (reported already).
    pub fn is_broken(&self, kind: DocKind, slug: &str) -> bool {
        self.broken.contains(&(kind, slug.to_string()))
    }

    pub fn entries(&self, collection: Collection) -> impl Iterator<Item = DocId> + '_ {
        self.documents
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.kind == DocKind::Entry(collection) && d.lang.is_empty())
            .map(|(id, _)| id)
    }

    /// Demands and incidents name each other from either side: the incidents
    /// of a demand are those it lists and those that list it.
    pub fn related(
        &self,
        id: DocId,
        field: &'static str,
        reverse_field: &'static str,
        target: Collection,
    ) -> Vec<DocId> {
        let document = &self.documents[id];
        let mut related: Vec<DocId> = document
            .references
            .iter()
            .filter(|r| r.field == field)
            .filter_map(|r| self.get(DocKind::Entry(target), &r.slug))
            .collect();
        for backlink in &self.backlinks[self.canonical(id)] {
            if backlink.field == reverse_field
                && self.documents[backlink.from].kind == DocKind::Entry(target)
            {
                related.push(backlink.from);
            }
        }
        related.sort_unstable();
        related.dedup();
        related
    }

    /// A translation's backlinks are those of its original.
    pub fn canonical(&self, id: DocId) -> DocId {
        let document = &self.documents[id];
        if document.lang.is_empty() {
            id
        } else {
            self.get(document.kind, &document.slug).unwrap_or(id)
        }
    }
}

/// Which taxonomy a term page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Taxonomy {
    Tags,
    Places,
}

impl Taxonomy {
    pub fn name(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Places => "places",
        }
    }

    pub fn terms(self, graph: &Graph) -> &[Term] {
        match self {
            Taxonomy::Tags => &graph.tags,
            Taxonomy::Places => &graph.places,
        }
    }
}

/// Parses the path of an `@/` link (without the prefix and fragment) into
/// the kind and slug it names.
pub fn parse_internal_path(path: &str) -> Option<(DocKind, String)> {
    let stem = path.strip_suffix(".md")?;
    if stem == "_index" {
        return Some((DocKind::Home, String::new()));
    }
    if let Some((first, rest)) = stem.split_once('/')
        && let Some(collection) = Collection::from_name(first)
        && !rest.contains('/')
    {
        return Some((DocKind::Entry(collection), rest.to_string()));
    }
    Some((DocKind::Page, stem.to_string()))
}

/// Links the documents. `drafts` are the documents left out of the build,
/// which references may still name; `unread` those whose fields could not
/// all be read, whose references are checked but point nowhere.
pub fn link(
    mut documents: Vec<Arc<Document>>,
    drafts: &[Arc<Document>],
    unread: &[Arc<Unread>],
) -> (Graph, Vec<Diagnostic>) {
    let broken = unread.iter().map(|u| (u.kind, u.slug.clone())).collect();
    let mut problems = Vec::new();
    documents.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| compare_for_list(a, b))
            .then_with(|| a.lang.cmp(&b.lang))
            .then_with(|| a.path.cmp(&b.path))
    });

    let mut index: HashMap<DocKind, HashMap<String, DocId>> = HashMap::new();
    let mut translations: HashMap<DocKind, HashMap<String, BTreeMap<String, DocId>>> =
        HashMap::new();
    let mut first_path: HashMap<(DocKind, String, String), DocId> = HashMap::new();
    let mut duplicates = Vec::new();
    for (id, document) in documents.iter().enumerate() {
        let key = (document.kind, document.slug.clone(), document.lang.clone());
        if let Some(&first) = first_path.get(&key) {
            duplicates.push((first, id));
            continue;
        }
        first_path.insert(key, id);
        if document.lang.is_empty() {
            index
                .entry(document.kind)
                .or_default()
                .insert(document.slug.clone(), id);
        } else {
            translations
                .entry(document.kind)
                .or_default()
                .entry(document.slug.clone())
                .or_default()
                .insert(document.lang.clone(), id);
        }
    }
    for (first, second) in duplicates {
        let (a, b) = if documents[first].path <= documents[second].path {
            (first, second)
        } else {
            (second, first)
        };
        let what = match documents[b].kind {
            DocKind::Entry(c) => format!("another {}", c.singular()),
            _ => "another page".to_string(),
        };
        problems.push(
            Diagnostic::error(Code::DuplicateSlug, format!("{what} already has the slug `{}`", documents[b].slug))
                .in_file(&documents[b].path)
                .hint(format!(
                    "`{}` has the same name; slugs are unique within a collection, so rename one of the two files",
                    documents[a].path.display()
                )),
        );
    }
    let orphans = translations.iter().flat_map(|(kind, slugs)| {
        slugs
            .iter()
            .filter(|(slug, _)| {
                !index
                    .get(kind)
                    .is_some_and(|known| known.contains_key(*slug))
            })
            .flat_map(|(_, languages)| languages.iter())
    });
    for (lang, &id) in orphans {
        problems.push(
            Diagnostic::error(Code::OrphanTranslation, format!("this is the `{lang}` translation of a document that does not exist"))
                .in_file(&documents[id].path)
                .hint(format!(
                    "a translation sits beside its original: add `{}` in the default language, or rename this file",
                    documents[id].path.display().to_string().replace(&format!(".{lang}.md"), ".md")
                )),
        );
    }

    let drafts: HashSet<(DocKind, String)> =
        drafts.iter().map(|d| (d.kind, d.slug.clone())).collect();
    let mut graph = Graph {
        backlinks: vec![Vec::new(); documents.len()],
        documents,
        index,
        translations,
        tags: Vec::new(),
        places: Vec::new(),
        drafts,
        broken,
        files: BTreeMap::new(),
    };
    resolve_references(&mut graph, unread, &mut problems);
    gather_taxonomies(&mut graph);
    for backlinks in &mut graph.backlinks {
        backlinks.sort_unstable();
        backlinks.dedup();
    }
    (graph, problems)
}

/// Checks every front-matter reference and body link, and records each as a
/// backlink on its target.
fn resolve_references(graph: &mut Graph, unread: &[Arc<Unread>], problems: &mut Vec<Diagnostic>) {
    // The candidates for "did you mean" hints, gathered only when a
    // reference is missing.
    let slugs_of = |collection: Collection| -> Vec<String> {
        let mut slugs: Vec<String> = graph
            .index
            .get(&DocKind::Entry(collection))
            .map(|slugs| slugs.keys().cloned().collect())
            .unwrap_or_default();
        slugs.sort_unstable();
        slugs
    };
    let all_paths = || -> Vec<String> {
        let mut paths: Vec<String> = graph
            .index
            .iter()
            .flat_map(|(kind, slugs)| slugs.keys().map(|slug| internal_path(*kind, slug)))
            .collect();
        paths.sort_unstable();
        paths
    };

    // Documents whose fields could not all be read still have their
    // references checked, so every mistake shows in one run; they point at
    // nothing, so they add no backlinks.
    let written = graph
        .documents
        .iter()
        .enumerate()
        .map(|(id, d)| {
            (
                Some(id),
                d.path.as_path(),
                d.source.as_str(),
                &d.references,
                &d.body_links,
            )
        })
        .chain(unread.iter().map(|u| {
            (
                None,
                u.path.as_path(),
                u.source.as_str(),
                &u.references,
                &u.body_links,
            )
        }));
    let mut found: Vec<(DocId, Backlink)> = Vec::new();
    for (from, path, source, references, body_links) in written {
        // Indexed once per file, and only if it has a problem.
        let lines = std::cell::OnceCell::new();
        let location = |offset, len| {
            lines
                .get_or_init(|| Lines::new(path, source))
                .at(offset, len)
        };
        let mut point = |target, field| {
            if let Some(from) = from {
                found.push((target, Backlink { from, field }));
            }
        };
        for reference in references {
            let kind = DocKind::Entry(reference.target);
            match graph.get(kind, &reference.slug) {
                Some(target) => point(target, reference.field),
                None if graph.broken.contains(&(kind, reference.slug.clone())) => {}
                None if graph.drafts.contains(&(kind, reference.slug.clone())) => problems.push(
                    Diagnostic::warning(Code::ReferenceToDraft, format!("`{}` is a draft; this reference is shown without a link", reference.slug))
                        .at(location(reference.offset, reference.len))
                        .hint("publish it by removing `draft: true`, or build with `--drafts` to preview it"),
                ),
                None => {
                    let candidates = slugs_of(reference.target);
                    let hint = match closest(&reference.slug, candidates.iter().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!(
                            "add `content/{}/{}.md`, or use the slug of an existing {}",
                            reference.target, reference.slug, reference.target.singular()
                        ),
                    };
                    problems.push(
                        Diagnostic::error(Code::UnknownReference, format!("unknown {} `{}` in `{}`", reference.target.singular(), reference.slug, reference.field))
                            .at(location(reference.offset, reference.len))
                            .label(format!("no file content/{}/{}.md", reference.target, reference.slug))
                            .hint(hint),
                    );
                }
            }
        }
        for link in body_links {
            let internal = &link.target[INTERNAL_PREFIX.len()..];
            let (path, _) = split_fragment(internal);
            let target = parse_internal_path(path).and_then(|(kind, slug)| graph.get(kind, &slug));
            match target {
                Some(target) => point(target, "body"),
                None => {
                    let named = parse_internal_path(path);
                    if named.as_ref().is_some_and(|n| graph.broken.contains(n)) {
                        continue;
                    }
                    if let Some((kind, slug)) = named
                        && graph.drafts.contains(&(kind, slug))
                    {
                        problems.push(
                            Diagnostic::warning(Code::LinkToDraft, format!("`{path}` is a draft; this link points at a page that is not published"))
                                .at(location(link.offset, link.len)),
                        );
                        continue;
                    }
                    let hint = if !path.ends_with(".md") {
                        "links to documents name their file from `content/`, for example `@/incidents/haditha-2005.md`".to_string()
                    } else {
                        match closest(path, all_paths().iter().map(String::as_str)) {
                            Some(best) => format!("did you mean `@/{best}`?"),
                            None => "links to documents name their file from `content/`, for example `@/incidents/haditha-2005.md`".to_string(),
                        }
                    };
                    problems.push(
                        Diagnostic::error(
                            Code::UnknownLink,
                            format!("this link points at `{path}`, which does not exist"),
                        )
                        .at(location(link.offset, link.len))
                        .hint(hint),
                    );
                }
            }
        }
    }
    for (target, backlink) in found {
        let target = graph.canonical(target);
        // A translation repeats its original's references: both point from
        // the one original, so a page lists each document once.
        let from = graph.canonical(backlink.from);
        if from != target {
            graph.backlinks[target].push(Backlink { from, ..backlink });
        }
    }
}

/// How an `@/` link names a document.
pub fn internal_path(kind: DocKind, slug: &str) -> String {
    match kind {
        DocKind::Home => "_index.md".to_string(),
        DocKind::Page => format!("{slug}.md"),
        DocKind::Entry(c) => format!("{c}/{slug}.md"),
    }
}

/// Tags from every document, places from incidents' governorates. Terms
/// whose slugs are equal ("Torture", "torture") are one term, named as
/// most of its documents write it (see [`label`]); each document's page
/// shows its own spelling.
fn gather_taxonomies(graph: &mut Graph) {
    let mut tags = Gathered::new();
    let mut places = Gathered::new();
    for (id, document) in graph.documents.iter().enumerate() {
        if !document.lang.is_empty() {
            continue;
        }
        for tag in &document.common.tags {
            file(&mut tags, tag, id);
        }
        if let Fields::Incident(incident) = &document.fields
            && let Some(governorate) = incident
                .place
                .as_ref()
                .and_then(|p| p.governorate.as_deref())
        {
            file(&mut places, governorate, id);
        }
    }
    let (tags, places) = (terms(tags), terms(places));
    graph.tags = tags;
    graph.places = places;
}

/// A taxonomy as gathered, by slug: the documents filed under each term,
/// and the documents behind each of its spellings.
type Gathered<'a> = BTreeMap<String, (Vec<DocId>, BTreeMap<&'a str, Vec<DocId>>)>;

/// Files document `id` under the term `name` is one spelling of; a name
/// with no slug (no letter or digit, an error when it is read) is no term.
fn file<'a>(terms: &mut Gathered<'a>, name: &'a str, id: DocId) {
    let slug = crate::slug::term_slug(name);
    if slug.is_empty() {
        return;
    }
    let (documents, spellings) = terms.entry(slug).or_default();
    documents.push(id);
    spellings.entry(name).or_default().push(id);
}

/// The terms of a taxonomy, in slug order, each document filed once.
fn terms(gathered: Gathered<'_>) -> Vec<Term> {
    gathered
        .into_iter()
        .map(|(slug, (mut documents, spellings))| {
            documents.dedup();
            Term {
                name: label(spellings).to_string(),
                slug,
                documents,
            }
        })
        .collect()
}

/// The name of a term from its spellings and the documents writing each:
/// the spelling the most documents write, so that one document cannot
/// rename a term the others share; among as many, the shortest (a
/// decorated spelling is a longer one), then the one that sorts first.
fn label(spellings: BTreeMap<&str, Vec<DocId>>) -> &str {
    spellings
        .into_iter()
        .map(|(name, mut documents)| {
            documents.dedup();
            (name, documents.len())
        })
        .min_by_key(|&(name, documents)| (std::cmp::Reverse(documents), name.chars().count(), name))
        .map_or("", |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_paths_round_trip() {
        assert_eq!(
            parse_internal_path("incidents/haditha-2005.md"),
            Some((
                DocKind::Entry(Collection::Incidents),
                "haditha-2005".to_string()
            ))
        );
        assert_eq!(
            parse_internal_path("about.md"),
            Some((DocKind::Page, "about".to_string()))
        );
        assert_eq!(
            parse_internal_path("_index.md"),
            Some((DocKind::Home, String::new()))
        );
        assert_eq!(parse_internal_path("incidents/x"), None);
        assert_eq!(
            internal_path(DocKind::Entry(Collection::Actors), "un"),
            "actors/un.md"
        );
    }
}
