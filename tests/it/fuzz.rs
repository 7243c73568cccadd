//! The fuzz targets' seed corpus (`fuzz/corpus/<target>/`) and every input
//! that once crashed one (`fuzz/regressions/<target>/`), replayed through
//! the same functions the fuzz targets call, on stable Rust. A few seconds.

use std::fs;

fn replay(target: &str, run: fn(&[u8])) {
    let fuzz = crate::harness::repo().join("fuzz");
    let mut inputs = 0;
    for folder in ["corpus", "regressions"] {
        let dir = fuzz.join(folder).join(target);
        let Ok(entries) = fs::read_dir(&dir) else {
            assert_ne!(folder, "corpus", "no seed corpus in {}", dir.display());
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let data = fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{} fails", path.display());
            inputs += 1;
        }
    }
    assert!(inputs >= 3, "only {inputs} inputs for {target}");
}

#[test]
fn the_front_matter_corpus_replays_without_a_crash() {
    replay("front_matter", dossier::fuzz::front_matter);
}

#[test]
fn the_markdown_corpus_replays_without_a_crash() {
    replay("markdown", dossier::fuzz::markdown);
}

#[test]
fn the_site_toml_corpus_replays_without_a_crash() {
    replay("site_toml", dossier::fuzz::site_toml);
}

#[test]
fn the_serve_path_corpus_replays_without_a_crash() {
    replay("serve_path", dossier::fuzz::serve_path);
}
