//! Each document's change history, read from the git repository the site
//! folder is in: the commits that changed its file, with their dates and the
//! first lines of their messages.
//!
//! The repository is read through gix, so no `git` program is needed, and
//! only what is committed counts: the objects reachable from `HEAD`, never
//! the work tree, so the same commit checked out gives the same history.
//! The commit graph is walked once per load of the site, and within each
//! commit only the folders of `content/` that changed are read. A site
//! outside git, or in a shallow clone (whose oldest commits are missing),
//! has no history at all, with one note saying why, rather than a history
//! that starts where the clone was cut. This module never writes anything.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use gix::ObjectId;

use crate::graph::{DocId, Graph};

/// One commit as a document's history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The commit's id, in hexadecimal.
    pub id: String,
    /// When it was committed, in seconds since 1970, for ordering.
    pub time: i64,
    /// Its date as `YYYY-MM-DD`, in the committer's own time zone.
    pub date: String,
    /// The first line of its message.
    pub summary: String,
}

/// The history of every file under `content/` that some commit changed.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Every commit that changed a file of `content/`, oldest first.
    revisions: Vec<Revision>,
    /// By path relative to the site root (`content/incidents/x.md`), the
    /// indexes in `revisions` of the commits that changed it.
    by_path: HashMap<String, Vec<usize>>,
    /// Why there is no history, when there is none: said once per build.
    pub note: Option<String>,
}

impl History {
    /// The history of the files of the site at `root` (an absolute path):
    /// empty with a note when the site is in no git repository, in a
    /// shallow clone, or in one with no commit yet, or when the repository
    /// cannot be read.
    pub fn read(root: &Path) -> History {
        match walk(root) {
            Ok(history) => history,
            Err(note) => History {
                note: Some(note),
                ..History::default()
            },
        }
    }

    /// The commits that changed any of `paths` (a document's file and its
    /// translations'), oldest first, each once.
    pub fn of<'p>(&self, paths: impl IntoIterator<Item = &'p Path>) -> Vec<&Revision> {
        let mut found: BTreeSet<usize> = BTreeSet::new();
        for path in paths {
            let key = path.to_string_lossy().replace('\\', "/");
            if let Some(indexes) = self.by_path.get(&key) {
                found.extend(indexes);
            }
        }
        found.into_iter().map(|i| &self.revisions[i]).collect()
    }

    /// The commits that changed document `id` in any language: its
    /// original's file or a translation's.
    pub fn of_document(&self, graph: &Graph, id: DocId) -> Vec<&Revision> {
        let original = graph.canonical(id);
        let document = &graph.documents[original];
        let translations = graph.translations_of(document.kind, &document.slug);
        let ids = std::iter::once(original).chain(translations.into_iter().map(|(_, t)| t));
        self.of(ids.map(|i| graph.documents[i].path.as_path()))
    }
}

/// What the notes say, so that a reader of the build's output knows what
/// to do.
const NO_HISTORY: &str = "pages show no change history";

fn walk(root: &Path) -> Result<History, String> {
    let repo = gix::discover(root).map_err(|_| {
        format!("the site is not in a git repository, so {NO_HISTORY}; commit it to git to show each page's history")
    })?;
    let unreadable = |error: &dyn std::fmt::Display| {
        format!("the site's git repository could not be read ({error}), so {NO_HISTORY}")
    };
    if repo.is_shallow().map_err(|e| unreadable(&e))? {
        return Err(format!(
            "the site is in a shallow clone, whose oldest commits are missing, so {NO_HISTORY}; clone the whole history (`git fetch --unshallow`, or `fetch-depth: 0` on GitHub Actions)"
        ));
    }
    let workdir = repo
        .workdir()
        .ok_or_else(|| unreadable(&"it has no work tree"))?;
    let canonical = |path: &Path| std::fs::canonicalize(path).map_err(|e| unreadable(&e));
    let site = canonical(root)?;
    let relative = site
        .strip_prefix(canonical(workdir)?)
        .map_err(|e| unreadable(&e))?
        .to_path_buf();
    let head = match repo.head_id() {
        Ok(id) => id.detach(),
        Err(_) => {
            return Err(format!(
                "the site's git repository has no commit yet, so {NO_HISTORY}"
            ));
        }
    };
    // The content folder's path inside the repository, by component.
    let content: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .chain(["content".to_string()])
        .collect();
    let mut reader = Reader {
        repo: &repo,
        trees: HashMap::new(),
    };
    let mut commits: Vec<(Revision, BTreeSet<String>)> = Vec::new();
    let mut seen: BTreeSet<ObjectId> = BTreeSet::from([head]);
    let mut queue = vec![head];
    while let Some(id) = queue.pop() {
        let commit = reader.commit(id).map_err(|e| unreadable(&e))?;
        let own = reader
            .content_tree(commit.tree, &content)
            .map_err(|e| unreadable(&e))?;
        // A file counts as changed by a commit when it differs from every
        // parent: a merge that takes a side's version changed nothing.
        let mut changed: Option<BTreeSet<String>> = None;
        for parent in &commit.parents {
            let parent_commit = reader.commit(*parent).map_err(|e| unreadable(&e))?;
            let theirs = reader
                .content_tree(parent_commit.tree, &content)
                .map_err(|e| unreadable(&e))?;
            let mut differing = BTreeSet::new();
            reader
                .diff(theirs, own, "content/", &mut differing)
                .map_err(|e| unreadable(&e))?;
            changed = Some(match changed {
                None => differing,
                Some(before) => before.intersection(&differing).cloned().collect(),
            });
            if seen.insert(*parent) {
                queue.push(*parent);
            }
        }
        let changed = match changed {
            Some(changed) => changed,
            None => {
                let mut all = BTreeSet::new();
                reader
                    .diff(None, own, "content/", &mut all)
                    .map_err(|e| unreadable(&e))?;
                all
            }
        };
        if !changed.is_empty() {
            commits.push((commit.revision, changed));
        }
    }
    // Oldest first; the id settles commits made in the same second.
    commits.sort_by(|a, b| (a.0.time, &a.0.id).cmp(&(b.0.time, &b.0.id)));
    let mut history = History::default();
    for (i, (revision, paths)) in commits.into_iter().enumerate() {
        for path in paths {
            history.by_path.entry(path).or_default().push(i);
        }
        history.revisions.push(revision);
    }
    Ok(history)
}

/// A commit as the walk needs it.
struct Commit {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    revision: Revision,
}

/// Reads commits and trees, each tree's entries decoded once.
struct Reader<'r> {
    repo: &'r gix::Repository,
    trees: HashMap<ObjectId, std::rc::Rc<Vec<Entry>>>,
}

/// An entry of a tree: its name, whether it is a tree itself, its id.
struct Entry {
    name: String,
    is_tree: bool,
    id: ObjectId,
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl Reader<'_> {
    fn commit(&self, id: ObjectId) -> Result<Commit, Failure> {
        let commit = self.repo.find_object(id)?.try_into_commit()?;
        let decoded = commit.decode()?;
        let time = decoded.committer()?.time()?;
        let date = jiff::Timestamp::from_second(time.seconds)?
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(
                time.offset,
            )?))
            .date();
        let summary: String = decoded
            .message_summary()
            .to_string()
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        Ok(Commit {
            tree: decoded.tree(),
            parents: decoded.parents().collect(),
            revision: Revision {
                id: id.to_string(),
                time: time.seconds,
                date: date.to_string(),
                summary: summary.trim().to_string(),
            },
        })
    }

    fn entries(&mut self, tree: ObjectId) -> Result<std::rc::Rc<Vec<Entry>>, Failure> {
        if let Some(entries) = self.trees.get(&tree) {
            return Ok(entries.clone());
        }
        let object = self.repo.find_object(tree)?.try_into_tree()?;
        let entries: Vec<Entry> = object
            .decode()?
            .entries
            .iter()
            .map(|e| Entry {
                name: e.filename.to_string(),
                is_tree: e.mode.is_tree(),
                id: e.oid.to_owned(),
            })
            .collect();
        let entries = std::rc::Rc::new(entries);
        self.trees.insert(tree, entries.clone());
        Ok(entries)
    }

    /// The tree at `path` (by component) under `tree`, if there is one.
    fn content_tree(
        &mut self,
        tree: ObjectId,
        path: &[String],
    ) -> Result<Option<ObjectId>, Failure> {
        let mut current = tree;
        for name in path {
            let entries = self.entries(current)?;
            match entries.iter().find(|e| e.is_tree && &e.name == name) {
                Some(entry) => current = entry.id,
                None => return Ok(None),
            }
        }
        Ok(Some(current))
    }

    /// Adds to `out` every file (by path from the site root, under
    /// `prefix`) whose content differs between trees `a` and `b`, either of
    /// which may be absent. Subtrees with the same id are not read.
    fn diff(
        &mut self,
        a: Option<ObjectId>,
        b: Option<ObjectId>,
        prefix: &str,
        out: &mut BTreeSet<String>,
    ) -> Result<(), Failure> {
        if a == b {
            return Ok(());
        }
        let mut sides: BTreeMap<String, [Option<(bool, ObjectId)>; 2]> = BTreeMap::new();
        for (side, tree) in [a, b].into_iter().enumerate() {
            if let Some(tree) = tree {
                for entry in self.entries(tree)?.iter() {
                    sides.entry(entry.name.clone()).or_default()[side] =
                        Some((entry.is_tree, entry.id));
                }
            }
        }
        for (name, [old, new]) in sides {
            if old == new {
                continue;
            }
            let tree_of = |side: Option<(bool, ObjectId)>| side.filter(|s| s.0).map(|s| s.1);
            let (old_tree, new_tree) = (tree_of(old), tree_of(new));
            if old_tree.is_some() || new_tree.is_some() {
                self.diff(old_tree, new_tree, &format!("{prefix}{name}/"), out)?;
            }
            if old.is_some_and(|s| !s.0) || new.is_some_and(|s| !s.0) {
                out.insert(format!("{prefix}{name}"));
            }
        }
        Ok(())
    }
}
