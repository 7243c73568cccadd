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

/// Runs `dossier check` on a site and returns stderr and how long it took.
fn timed_check(site: &Site) -> (String, Duration) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    (
        String::from_utf8_lossy(&output.stderr).into_owned(),
        elapsed,
    )
}

/// The linked site whose incident lists `slugs` as its sources, on one line.
fn citing_unknown_sources(slugs: &[String]) -> Site {
    Site::linked().file(
        "content/incidents/haditha-2005.md",
        &format!(
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nsources: [{}]\n---\n",
            slugs.join(", ")
        ),
    )
}

#[test]
fn twenty_thousand_unknown_slugs_on_one_line_are_located_in_linear_time() {
    let slugs: Vec<String> = (0..20_000).map(|i| format!("missing-source-{i}")).collect();
    let site = citing_unknown_sources(&slugs);
    let (stderr, elapsed) = timed_check(&site);
    assert!(
        stderr.contains("20000 errors"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
    assert!(
        stderr.contains("and 19950 more problems in content/incidents/haditha-2005.md"),
        "{}",
        &stderr[stderr.len().saturating_sub(500)..]
    );
    // The last printed one is located exactly, and its line is shown cut.
    let column = 1 + "sources: [".len() + slugs[..49].iter().map(|s| s.len() + 2).sum::<usize>();
    assert!(
        stderr.contains(&format!("content/incidents/haditha-2005.md:4:{column}")),
        "{}",
        &stderr[..3000.min(stderr.len())]
    );
    assert!(
        stderr.lines().all(|line| line.len() < 400),
        "a whole line was printed"
    );
    // Measured: 2.8 s and 86 MB in a debug build on 2 shared cores; copying
    // the line and counting from its start for every diagnostic took 80 s
    // and 10 GB in a release build.
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}

#[test]
fn a_hundred_thousand_equal_headings_and_deep_nesting_build_in_linear_time() {
    let headings = "## Same\n\n".repeat(100_000);
    let nested = format!("{}deep\n", "> ".repeat(2_000));
    let lists = (0..2_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect::<String>();
    let site = Site::linked()
        .file(
            "content/headings.md",
            &format!("---\ntitle: Headings\n---\n{headings}"),
        )
        .file(
            "content/nested.md",
            &format!("---\ntitle: Nested\n---\n{nested}\n{lists}"),
        );
    let started = Instant::now();
    let built = site.build().clean();
    let elapsed = started.elapsed();
    assert!(
        built
            .page("headings/index.html")
            .contains("id=\"same-99999\"")
    );
    // Measured in a debug build: 9.4 s on a quiet machine, 35.6 s and once
    // over 60 s with the two cores shared by several compilers; the
    // quadratic suffix search took 99 s for 40,000 headings and did not
    // finish 100,000 in 600 s.
    assert!(elapsed < Duration::from_secs(300), "took {elapsed:?}");
}

#[test]
fn a_huge_file_just_under_the_limit_builds_in_linear_time() {
    // 2 MiB of ordinary paragraphs with a link and a heading each.
    let paragraph =
        "## Part\n\nWords in a paragraph about [the demand](@/demands/investigate.md).\n\n";
    let body = paragraph.repeat(2 * 1024 * 1024 / paragraph.len());
    let site = Site::linked().file("content/huge.md", &format!("---\ntitle: Huge\n---\n{body}"));
    let started = Instant::now();
    site.build().clean();
    let elapsed = started.elapsed();
    // Measured: 11 s in a debug build (22 s for 4 MiB: linear).
    assert!(elapsed < Duration::from_secs(90), "took {elapsed:?}");
}

#[test]
fn a_file_with_hundreds_of_mistakes_prints_fifty_and_counts_the_rest() {
    let slugs: Vec<String> = (0..120).map(|i| format!("missing-{i}")).collect();
    let site = citing_unknown_sources(&slugs);
    let (stderr, _) = timed_check(&site);
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
