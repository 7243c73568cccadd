//! The integration tests: one binary, a module per feature, all built on the
//! small-site harness in `harness`.

mod harness;

mod build;
mod citations;
mod cite_page;
mod cms;
mod complexity;
mod corrections;
mod countries;
mod data_page;
mod determinism;
mod diagnostics;
mod exports;
mod faults;
mod folder_search;
mod fuzz;
mod glossary;
// Links and process limits as a Unix system has them.
#[cfg(unix)]
mod hardening_serve;
mod hardening_text;
mod hardening_values;
mod hostile;
mod html;
mod images;
mod languages;
mod locale;
mod locators;
mod map;
mod output;
mod pins;
mod publisher;
mod safety;
mod scaffold;
mod scale;
mod schema;
mod serve;
mod share;
mod shipped;
mod shipped_languages;
mod spans;
mod theme;
mod tidy;
mod translations;
mod trust;
// The stand-in zimwriterfs is a shell script.
mod verify;
#[cfg(unix)]
mod yaml_mistakes;
mod zim;
