//! `dossier` builds accountability dossiers: cross-linked static sites of
//! demands, incidents, actors, sources and disputed figures, written as
//! Markdown with YAML front matter.
//!
//! The library holds the whole pipeline ([`site::build`]); the `dossier`
//! binary only parses the command line, prints diagnostics and maps the
//! result to an exit code.

pub mod checks;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod export;
pub mod front_matter;
pub mod geography;
pub mod graph;
pub mod i18n;
pub mod map;
pub mod markdown;
pub mod model;
pub mod policy;
pub mod render;
pub mod safety;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub mod urls;
pub mod write;

pub use diagnostic::{Diagnostic, Severity};
pub use site::{Options, Report, build};
