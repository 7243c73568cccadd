//! The structure ARCHITECTURE.md states, read from the source: the module
//! import graph (`crate::` paths) has no cycle and keeps to the layers
//! below, and the modules said never to touch the file system name none of
//! its calls. A new edge that breaks either fails here with the files that
//! make it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::harness::repo;

/// The library's modules in layers, lowest first. A module may use the
/// modules of its own layer and of the layers below it, never above; the
/// core (the types and rules every stage shares) imports nothing of the
/// pipeline. The binary (`main.rs`, `cmd/`) uses the library from outside.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "core",
        &[
            "diagnostic",
            "front_matter",
            "locale",
            "machine",
            "model",
            "policy",
            "safety",
            "slug",
            "spec",
            "theme",
            "trust",
            "yaml_words",
        ],
    ),
    (
        "stages",
        &[
            "checks",
            "citation",
            "cite",
            "cms",
            "config",
            "csp",
            "discover",
            "export",
            "folder_search",
            "geography",
            "glossary",
            "graph",
            "history",
            "i18n",
            "images",
            "map",
            "markdown",
            "render",
            "scaffold",
            "schema",
            "search",
            "share",
            "sign",
            "urls",
        ],
    ),
    (
        "drivers",
        &["fuzz", "serve", "site", "verify", "write", "zim"],
    ),
];

/// Modules that never touch the file system (ARCHITECTURE.md, invariants):
/// they take and return data. `checks` reads archived copies only through
/// `discover::read_bytes`.
const PURE: &[&str] = &[
    "checks",
    "export",
    "folder_search",
    "front_matter",
    "geography",
    "graph",
    "images",
    "map",
    "markdown",
    "model",
    "render",
    "share",
    "slug",
    "urls",
    "yaml_words",
];

/// The production code of each module of the library (test modules cut
/// off), by module name: `src/foo.rs` and `src/foo/**` are `foo`.
fn modules() -> BTreeMap<String, Vec<(String, String)>> {
    let src = repo().join("src");
    let mut modules: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let relative = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !relative.ends_with(".rs")
            || ["lib.rs", "main.rs"].contains(&relative.as_str())
            || relative.starts_with("cmd/")
        {
            continue;
        }
        let module = relative
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let text = fs::read_to_string(entry.path()).unwrap();
        modules
            .entry(module)
            .or_default()
            .push((relative, production(&text)));
    }
    modules
}

/// `text` without its `#[cfg(test)]` test module and without comments.
fn production(text: &str) -> String {
    let mut kept = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            break;
        }
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

/// The modules a piece of code names through `crate::`, in `use` lines
/// (`use crate::{a, b::c}` included) and in paths.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

/// Every edge `from → to` between modules, with the files that make it.
fn edges() -> BTreeMap<(String, String), BTreeSet<String>> {
    let modules = modules();
    let mut edges: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for (module, files) in &modules {
        for (file, code) in files {
            for to in named_modules(code) {
                if to != *module && modules.contains_key(&to) {
                    edges
                        .entry((module.clone(), to))
                        .or_default()
                        .insert(file.clone());
                }
            }
        }
    }
    edges
}

/// A cycle of the graph, if it has one, as the modules in order.
fn find_cycle(edges: &BTreeMap<(String, String), BTreeSet<String>>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(node, 1);
        path.push(node);
        for &to in next.get(node).into_iter().flatten() {
            match state.get(to).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|n| *n == to).unwrap();
                    let mut cycle: Vec<String> =
                        path[start..].iter().map(|n| n.to_string()).collect();
                    cycle.push(to.to_string());
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(to, next, state, path) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(node, 2);
        None
    }
    let nodes: Vec<&str> = next.keys().copied().collect();
    for node in nodes {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(cycle) = visit(node, &next, &mut state, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn the_module_graph_has_no_cycle() {
    let edges = edges();
    if let Some(cycle) = find_cycle(&edges) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|pair| {
                let files = &edges[&(pair[0].clone(), pair[1].clone())];
                format!(
                    "{} -> {} ({})",
                    pair[0],
                    pair[1],
                    files.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            })
            .collect();
        panic!(
            "the modules import each other in a cycle:\n{}",
            steps.join("\n")
        );
    }
}

#[test]
fn every_module_is_in_one_layer_and_imports_only_its_own_or_lower_ones() {
    let layer_of: BTreeMap<&str, usize> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, (_, modules))| modules.iter().map(move |m| (*m, i)))
        .collect();
    let modules = modules();
    let unplaced: Vec<&String> = modules
        .keys()
        .filter(|m| !layer_of.contains_key(m.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "put each new module in one of the LAYERS of tests/it/tidy.rs (and ARCHITECTURE.md): {unplaced:?}"
    );
    let mut upward = Vec::new();
    for ((from, to), files) in edges() {
        let (a, b) = (layer_of[from.as_str()], layer_of[to.as_str()]);
        if b > a {
            upward.push(format!(
                "{from} ({}) uses {to} ({}) in {}",
                LAYERS[a].0,
                LAYERS[b].0,
                files.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    assert!(
        upward.is_empty(),
        "a module uses one of a higher layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn pure_modules_never_touch_the_file_system() {
    let modules = modules();
    let mut touching = Vec::new();
    for module in PURE {
        for (file, code) in &modules[*module] {
            for (n, line) in code.lines().enumerate() {
                if ["std::fs", "fs::", "File::", "OpenOptions", "read_dir"]
                    .iter()
                    .any(|call| line.contains(call))
                {
                    touching.push(format!(
                        "{file} (production line {}): {}",
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        touching.is_empty(),
        "modules ARCHITECTURE.md calls pure touch the file system:\n{}",
        touching.join("\n")
    );
}

#[test]
fn the_checks_see_the_edges_they_are_meant_to() {
    // The reader of `crate::` paths, on the forms the code uses.
    let named = named_modules(
        "use crate::model::{A, B};\nuse crate::{slug, urls::x};\nlet y = crate::export::xml(z);",
    );
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["export", "model", "slug", "urls"]
    );
    // A cycle is found and named.
    let mut edges = BTreeMap::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        edges.insert((from.to_string(), to.to_string()), BTreeSet::new());
    }
    assert_eq!(find_cycle(&edges).unwrap(), ["a", "b", "c", "a"]);
    edges.remove(&("c".to_string(), "a".to_string()));
    assert_eq!(find_cycle(&edges), None);
    assert!(Path::new(&repo().join("src/lib.rs")).is_file());
}

/// The folders at the top of a published site, which only `urls` names.
const PUBLISHED_FOLDERS: &[&str] = &[
    "actors",
    "data",
    "demands",
    "figures",
    "incidents",
    "map",
    "page",
    "pagefind",
    "places",
    "print",
    "search",
    "sources",
    "tags",
    "timeline",
];

#[test]
fn themes_spell_no_folder_of_the_site_and_no_index_file() {
    let mut spelled = Vec::new();
    for theme in [
        "themes/default/templates",
        "tests/fixtures/themes/plain/templates",
    ] {
        for entry in walkdir::WalkDir::new(repo().join(theme)).sort_by_file_name() {
            let entry = entry.unwrap();
            if !entry.file_type().is_file() {
                continue;
            }
            let text = fs::read_to_string(entry.path()).unwrap();
            for (n, line) in text.lines().enumerate() {
                let folder = PUBLISHED_FOLDERS.iter().find(|folder| {
                    [
                        format!("\"{folder}/"),
                        format!("}}{folder}/"),
                        format!("~ \"{folder}"),
                    ]
                    .iter()
                    .any(|spelling| line.contains(spelling.as_str()))
                });
                if line.contains("index.html") || folder.is_some() {
                    spelled.push(format!(
                        "{}:{}: {}",
                        entry.path().strip_prefix(repo()).unwrap().display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        spelled.is_empty(),
        "templates spell the site's folders instead of asking the engine (`links`, `url`, each item's `href`):\n{}",
        spelled.join("\n")
    );
}
