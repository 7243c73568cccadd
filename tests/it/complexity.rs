//! Inputs that are small to write and were slow to build: each test uses a
//! size at which quadratic work takes minutes, and asserts a bound far above
//! what linear work needs (bounds measured on a 2-core machine, debug build).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::Site;

#[test]
fn twenty_thousand_equal_headings_get_unique_ids_in_linear_time() {
    let body = "## Same\n\n".repeat(20_000);
    let started = Instant::now();
    let html = dossier::markdown::render(&body, &|_| None, dossier::policy::RawHtml::Escape);
    let elapsed = started.elapsed();
    assert!(
        html.contains("<h2 id=\"same-19999\">"),
        "the last id is wrong"
    );
    // Measured: about 0.15 s; quadratic suffix search took over a minute.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[test]
fn a_file_with_hundreds_of_mistakes_prints_fifty_and_counts_the_rest() {
    let slugs: Vec<String> = (0..120).map(|i| format!("missing-{i}")).collect();
    let site = Site::linked().file(
        "content/incidents/haditha-2005.md",
        &format!(
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nsources: [{}]\n---\n",
            slugs.join(", ")
        ),
    );
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("and 70 more problems in content/incidents/haditha-2005.md"),
        "{stderr}"
    );
    assert!(stderr.contains("120 errors"), "{stderr}");
    assert_eq!(
        stderr.matches("error: unknown source").count(),
        50,
        "{stderr}"
    );
}

#[test]
fn a_file_over_the_size_limit_is_a_clear_error_and_the_limit_can_be_raised() {
    // Larger than the shipped theme's own files, which share the limit.
    let big = format!("---\ntitle: Big\n---\n{}", "word ".repeat(8000));
    let site = Site::linked()
        .file(
            "site.toml",
            &format!(
                "{}[build]\nmax_file_size = 30000\n",
                crate::harness::SITE_TOML
            ),
        )
        .file("content/big.md", &big);
    site.build()
        .fails()
        .has(&["content/big.md", "more than the limit of 30000 bytes"]);
    site.file(
        "site.toml",
        &format!(
            "{}[build]\nmax_file_size = 100000\n",
            crate::harness::SITE_TOML
        ),
    )
    .build()
    .clean();
}
