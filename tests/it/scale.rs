//! A dossier past the sizes at which one page or one index bundle would
//! grow with it: the print edition in parts, the lists and the timeline in
//! pages, the search index in bundles, the JSON exports compact, and all of
//! it the same whatever the thread count.

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
                "---\ntitle: Incident number {i}\ndate: {year}-{:02}-{:02}\nplace: {{name: Haditha, governorate: Anbar}}\nperpetrators: [us-marine-corps]\nsources: [amnesty-2023]\ntags: [unlawful killing]\n---\nWhat happened in case {i}.\n",
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

/// The incident numbers a page links to, from the link texts.
fn linked_numbers(page: &str) -> Vec<usize> {
    page.split(">Incident number ")
        .skip(1)
        .filter_map(|rest| rest.split('<').next()?.parse().ok())
        .collect()
}

#[test]
fn long_lists_and_the_timeline_go_on_over_pages_that_link_each_other() {
    let built = build_with_threads(&large_site(), 2, "out");
    let size = dossier::urls::LIST_PAGE_SIZE;
    assert!(size < 600, "the corpus no longer fills a year's pages");
    let pages = 1301_usize.div_ceil(size);
    let path = |folder: &str, n: usize| match n {
        1 => format!("{folder}index.html"),
        n => format!("{folder}page/{n}/index.html"),
    };

    for folder in ["incidents/", "tags/unlawful-killing/", "places/anbar/"] {
        let mut numbers = Vec::new();
        for n in 1..=pages {
            let page = built.page(&path(folder, n));
            assert!(
                page.contains("(<bdi dir=\"ltr\">1301</bdi>)"),
                "{folder} {n}: no total"
            );
            let shown = linked_numbers(&page);
            let expected = if n < pages {
                size
            } else {
                1301 - size * (pages - 1)
            };
            // The fixture's own incident is not numbered.
            let haditha = page.matches(">Haditha killings<").count();
            assert_eq!(shown.len() + haditha, expected, "{folder} page {n}");
            numbers.extend(shown);
            // The current page is marked, its neighbours are linked.
            let root = "../".repeat(path(folder, n).matches('/').count());
            assert!(
                page.contains(&format!("aria-current=\"page\">{n}</a>")),
                "{folder} {n}"
            );
            let next = format!("href=\"{root}{}\" rel=\"next\"", path(folder, n + 1));
            assert_eq!(page.contains(&next), n < pages, "{folder} {n}: {next}");
            if n > 1 {
                let prev = format!("href=\"{root}{}\" rel=\"prev\"", path(folder, n - 1));
                assert!(page.contains(&prev), "{folder} {n}: {prev}");
            } else {
                assert!(!page.contains("rel=\"prev\""), "{folder} 1");
            }
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (0..1300).collect::<Vec<_>>(), "{folder}");
        let after = path(folder, pages + 1);
        assert!(!built.exists(&after), "{after}");
    }

    // Incidents are newest first: 2006's 600 fill the first pages, and the
    // years' links lead to the page each year begins on.
    let first = built.page("incidents/index.html");
    let begins = 600 / size + 1;
    let link_2005 = format!("href=\"../{}#y2005\"", path("incidents/", begins));
    assert!(first.contains(&link_2005), "{link_2005}\n{first}");
    assert!(first.contains("href=\"#y2006\""), "{first}");
    let later = built.page(&path("incidents/", begins));
    assert!(later.contains("href=\"#y2005\""), "{later}");
    assert!(
        later.contains("href=\"../../../incidents/index.html#y2006\""),
        "{later}"
    );

    // The timeline: 1,301 incidents and the demand's one history entry, in
    // pages of its own size, each event once.
    let per = dossier::urls::TIMELINE_PAGE_SIZE;
    let timeline_pages = 1302_usize.div_ceil(per);
    assert!(
        timeline_pages > 1,
        "the corpus no longer fills the timeline"
    );
    let mut numbers = Vec::new();
    for n in 1..=timeline_pages {
        let page = built.page(&path("timeline/", n));
        numbers.extend(linked_numbers(&page));
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (0..1300).collect::<Vec<_>>());
    assert!(!built.exists(&path("timeline/", timeline_pages + 1)));
    // A year's heading counts its events on every page.
    assert!(
        built
            .page("timeline/index.html")
            .contains("2005 <span class=\"count\">(<bdi dir=\"ltr\">701</bdi>)</span>")
    );

    // Every page of a list is in the sitemap.
    let sitemap = built.page("sitemap.xml");
    assert!(sitemap.contains("incidents/page/2/"), "{sitemap}");
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
