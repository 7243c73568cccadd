//! A dossier past the sizes at which one page or one index bundle would
//! grow with it: the print edition in parts, the search index in bundles,
//! the JSON exports compact, and all of it the same whatever the thread
//! count.

use crate::harness::{Built, Site, snapshot};

/// 1,300 incidents: 700 in 2005 and 600 in 2006, so that each year is cut
/// into two print parts and the index into three bundles.
fn large_site() -> Site {
    let mut site = Site::linked();
    for i in 0..1300 {
        let year = if i < 700 { 2005 } else { 2006 };
        site = site.file(
            &format!("content/incidents/incident-{i:04}.md"),
            &format!(
                "---\ntitle: Incident number {i}\ndate: {year}-{:02}-{:02}\nperpetrators: [us-marine-corps]\nsources: [amnesty-2023]\n---\nWhat happened in case {i}.\n",
                i % 12 + 1,
                i % 28 + 1
            ),
        );
    }
    site
}

fn build_with_threads(site: &Site, threads: usize, output: &str) -> Built {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let output = site.root().join(output);
    pool.install(|| {
        site.build_with(|o| {
            o.mode = dossier::Mode::Publish {
                output: Some(output.clone()),
            }
        })
    })
    .clean()
}

/// The number of `<article class="print-doc` elements of a page.
fn printed(built: &Built, path: &str) -> usize {
    built
        .page(path)
        .matches("<article class=\"print-doc")
        .count()
}

#[test]
fn a_large_dossier_is_printed_in_parts_indexed_in_bundles_and_built_the_same_on_any_thread_count() {
    let site = large_site();
    let built = build_with_threads(&site, 2, "out-2");

    // The contents page links every part; each year past the part size is
    // cut into full parts and a last one, and every incident of the year is
    // printed in exactly one of them.
    let contents = built.page("print/index.html");
    assert_eq!(printed(&built, "print/index.html"), 0, "{contents}");
    let size = dossier::urls::PRINT_PART_SIZE;
    assert!(size < 600, "the corpus no longer exceeds a part");
    // The fixture's own incident is dated 2005.
    for (year, count) in [(2005, 701), (2006, 600)] {
        let mut numbers = Vec::new();
        let pieces = usize::div_ceil(count, size);
        for piece in 0..pieces {
            let folder = match piece {
                0 => format!("incidents/{year}/"),
                n => format!("incidents/{year}-{}/", n + 1),
            };
            assert!(
                contents.contains(&format!("href=\"{folder}\"")),
                "the contents page does not link {folder}:\n{contents}"
            );
            let path = format!("print/{folder}index.html");
            let expected = if piece + 1 < pieces {
                size
            } else {
                count - piece * size
            };
            assert_eq!(printed(&built, &path), expected, "{path}");
            let part = built.page(&path);
            assert!(
                part.contains("href=\"../../\""),
                "no way back to the contents"
            );
            numbers.extend(part.split("Incident number ").skip(1).filter_map(|rest| {
                rest.split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse::<usize>()
                    .ok()
            }));
        }
        numbers.sort_unstable();
        let before = numbers.len();
        numbers.dedup();
        assert_eq!(numbers.len(), before, "{year}: an incident printed twice");
        let range = if year == 2005 { 0..700 } else { 700..1300 };
        assert_eq!(numbers, range.collect::<Vec<_>>(), "{year}");
        let after = format!("print/incidents/{year}-{}/index.html", pieces + 1);
        assert!(!built.exists(&after), "{after}");
    }
    for (path, count) in [
        ("print/demands/index.html", 1),
        ("print/actors/index.html", 2),
    ] {
        assert_eq!(printed(&built, path), count, "{path}");
    }

    // Three bundles: the first whole, the others only what a merged bundle
    // needs, and the search page merges both of those.
    assert!(built.exists("pagefind/pagefind-ui.js"));
    for bundle in ["pagefind/part-2", "pagefind/part-3"] {
        assert!(
            built.exists(&format!("{bundle}/pagefind-entry.json")),
            "{bundle}"
        );
        assert!(
            !built.exists(&format!("{bundle}/pagefind-ui.js")),
            "{bundle}"
        );
    }
    assert!(!built.exists("pagefind/part-4"));
    let search = built.page("search/index.html");
    assert!(
        search.contains("baseUrl + \"pagefind/part-2/\""),
        "{search}"
    );
    assert!(
        search.contains("baseUrl + \"pagefind/part-3/\""),
        "{search}"
    );
    let pages: u64 = ["pagefind", "pagefind/part-2", "pagefind/part-3"]
        .iter()
        .map(|bundle| {
            let entry: serde_json::Value =
                serde_json::from_str(&built.page(&format!("{bundle}/pagefind-entry.json")))
                    .unwrap();
            entry["languages"]["en"]["page_count"].as_u64().unwrap()
        })
        .sum();
    // Every incident, the demand, the two actors, the source, the figure.
    assert_eq!(pages, 1306);

    // Past 1,000 documents the JSON exports are compact.
    let json = built.page("data/dossier.json");
    assert!(!json.contains("\n  "), "data/dossier.json is indented");
    serde_json::from_str::<serde_json::Value>(&json).unwrap();

    let one = build_with_threads(&site, 1, "out-1");
    assert!(snapshot(&one.output) == snapshot(&built.output));
}

#[test]
fn json_exports_are_indented_for_a_small_dossier_or_when_asked() {
    let built = Site::linked().build().clean();
    assert!(built.page("data/dossier.json").contains("\n  \"format\""));
    let built = Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[build]\npretty_json = false\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .build()
        .clean();
    let json = built.page("data/dossier.json");
    assert!(json.starts_with("{\"format\":"), "{json}");
    assert!(!built.page("data/sources.csl.json").contains("\n  "));
}
