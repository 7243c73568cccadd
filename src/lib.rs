//! `dossier` builds accountability dossiers: cross-linked static sites of
//! demands, incidents, actors, sources and disputed figures, written as
//! Markdown with YAML front matter.
//!
//! The library holds the whole pipeline ([`site::build`]); the `dossier`
//! binary only parses the command line, prints diagnostics and maps the
//! result to an exit code.

#![forbid(unsafe_code)]
#![warn(unreachable_pub)]

pub mod checks;
pub mod citation;
pub mod cite;
pub mod cms;
pub mod config;
pub mod csp;
pub mod diagnostic;
pub mod discover;
pub mod export;
pub mod folder_search;
pub mod front_matter;
#[doc(hidden)]
pub mod fuzz;
pub mod geography;
pub mod glossary;
pub mod graph;
pub mod history;
pub mod i18n;
pub mod images;
pub mod locale;
pub mod machine;
pub mod map;
pub mod markdown;
pub mod model;
pub mod policy;
pub mod render;
pub mod safety;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod share;
pub mod sign;
pub mod site;
pub mod slug;
pub mod spec;
pub mod theme;
pub mod trust;
pub mod urls;
pub mod verify;
pub mod write;
pub mod yaml_words;
pub mod zim;

pub use diagnostic::{Diagnostic, Severity};

/// What `dossier --version` prints: the program's version and the version of
/// the content format it reads (also the `format` of `data/dossier.json`).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (content format dossier/1)");
pub use site::{Mode, Options, Report, build};
