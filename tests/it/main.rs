//! The integration tests: one binary, a module per feature, all built on the
//! small-site harness in `harness`.

mod harness;

mod build;
mod determinism;
mod diagnostics;
mod exports;
mod output;
mod scaffold;
mod serve;
mod shipped;
mod translations;
