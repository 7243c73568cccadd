//! The integration tests: one binary, a module per feature, all built on the
//! small-site harness in `harness`.

mod harness;

mod build;
mod complexity;
mod determinism;
mod diagnostics;
mod exports;
mod faults;
mod hostile;
mod map;
mod output;
mod scaffold;
mod serve;
mod shipped;
