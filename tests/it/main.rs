//! The integration tests: one binary, a module per feature, all built on the
//! small-site harness in `harness`.

mod harness;

mod build;
mod cms;
mod determinism;
mod diagnostics;
mod exports;
mod map;
mod output;
mod scaffold;
mod schema;
mod serve;
mod shipped;
