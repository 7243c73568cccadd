//! Hostile text that attacks the machine rather than the reader: content
//! that would print control sequences or forged CI commands, heading
//! attributes that would carry script or cover the page, and inputs small
//! to write whose cost would grow with the square of their size or
//! multiply memory. Time is bounded by ratios and counts, not by seconds.

use std::process::Command;

use crate::harness::Site;

/// Runs `dossier check` on `site` in `format`; stdout and stderr.
fn check(site: &Site, format: &str) -> (String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--format", format, "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A site whose slugs and body carry terminal control sequences, a delete
/// and a C1 control, and line ends followed by workflow commands.
fn site_with_control_characters() -> Site {
    Site::linked().file(
        "content/incidents/haditha-2005.md",
        "---\ntitle: Haditha killings\ndate: 2005-11-19\nperpetrators: [\"x\\e]0;owned\\a\\n::error file=forged.md::forged\", \"y\\r::add-mask::secret\\x7f\\x9b2J\"]\nsources: [amnesty-2023]\n---\nA <b>\u{1b}[2J\u{7}\u{7f}\u{9b}31m</b> here.\n",
    )
}

fn control_characters(text: &str) -> String {
    text.chars()
        .filter(|&c| c.is_control() && c != '\n')
        .collect()
}

#[test]
fn diagnostics_show_control_characters_and_never_start_a_forged_command() {
    let site = site_with_control_characters();

    let (_, human) = check(&site, "human");
    assert!(human.contains("unknown actor"), "{human}");
    assert!(human.contains('␛') && human.contains('␊'), "{human}");
    assert_eq!(control_characters(&human), "", "{human}");
    for line in human.lines() {
        assert!(!line.trim_start().starts_with("::"), "forged: {line}");
    }

    let (github, _) = check(&site, "github");
    assert_eq!(control_characters(&github), "", "{github}");
    assert!(github.lines().count() >= 3, "{github}");
    for line in github.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "forged: {line}"
        );
    }

    let (json, _) = check(&site, "json");
    assert_eq!(control_characters(&json), "", "{json}");
    let messages: Vec<String> = json
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter_map(|v| v["message"].as_str().map(str::to_string))
        .collect();
    // The JSON keeps the text exactly, escaped.
    assert!(
        messages
            .iter()
            .any(|m| m.contains("x\u{1b}]0;owned\u{7}\n::error file=forged.md::forged")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("\u{7f}\u{9b}2J")),
        "{messages:?}"
    );
}

/// A heading whose attributes would, if written, run script when focused
/// and cover the page, with an id and an allowed class beside them.
const HOSTILE_HEADING: &str = "---\ntitle: Amnesty International\nkind: ngo\n---\nIntro.\n\n## Findings {#findings .editorial .skip-link onfocus=alert(1) autofocus tabindex=0 style=position:fixed;inset:0}\n";

#[test]
fn heading_attributes_keep_only_the_id_and_allowed_classes_in_every_raw_html_mode() {
    for raw_html in ["escape", "sanitize", "trust"] {
        let built = Site::linked()
            .file(
                "site.toml",
                &format!(
                    "{}[markdown]\nraw_html = \"{raw_html}\"\n",
                    crate::harness::SITE_TOML
                ),
            )
            .file("content/actors/amnesty.md", HOSTILE_HEADING)
            .build();
        let page = built.page("actors/amnesty/index.html");
        let heading = &page[page.find("<h2 id=\"findings\"").expect(&page)..];
        let heading = &heading[..heading.find('>').unwrap() + 1];
        assert_eq!(
            heading, "<h2 id=\"findings\" class=\"editorial\">",
            "under {raw_html}"
        );
        assert!(built.report().succeeded());
        built
            .has(&["heading attribute `onfocus`", "amnesty.md:7:46", "{#name}"])
            .has(&["heading attribute `.skip-link`", "amnesty.md:7:35"])
            .has(&["heading attribute `autofocus`", "amnesty.md:7:"])
            .has(&["heading attribute `tabindex`", "amnesty.md:7:"])
            .has(&["heading attribute `style`", "amnesty.md:7:"]);
    }
}

/// The time this thread has spent running, where Linux tells it: unlike
/// the clock, it does not run on while other programs have the cores.
fn thread_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}

/// How long `work` takes: the thread's own running time, else the clock.
fn seconds(work: impl FnOnce()) -> f64 {
    let (cpu, clock) = (thread_seconds(), std::time::Instant::now());
    work();
    match (cpu, thread_seconds()) {
        (Some(before), Some(after)) => after - before,
        _ => clock.elapsed().as_secs_f64(),
    }
}

/// How many times longer `work` takes on 8 times `small` bytes than on
/// `small` bytes of `unit` repeated: about 8 for linear work, 64 for
/// quadratic. The best of a few runs, so that a loaded machine slows
/// neither side by much.
fn growth(unit: &str, small: usize, work: impl Fn(&str)) -> f64 {
    let best = |size: usize, runs: usize| {
        let text = unit.repeat(size / unit.len());
        (0..runs)
            .map(|_| seconds(|| work(&text)))
            .fold(f64::INFINITY, f64::min)
    };
    // Below a hundredth of a second, scheduling matters more than the work.
    let small_time = best(small, 5).max(0.01);
    let large_time = best(small * 8, 3);
    eprintln!("{unit:?}: {small_time:.3} s, then {large_time:.3} s");
    large_time / small_time
}

#[test]
fn citation_scanning_is_linear_in_runs_of_brackets_and_at_signs() {
    for unit in ["[", "[@a ", "@a [", "@a [x", "[x@a "] {
        let ratio = growth(unit, 32 * 1024, |text| {
            let found = dossier::cite::scan(text, 0);
            assert!(found.citations.len() <= text.len());
            dossier::cite::split(text);
        });
        // Measured: about 8; quadratic was over 50.
        assert!(
            ratio < 20.0,
            "{unit:?}: {ratio:.1} times longer for 8 times the text"
        );
    }
}

#[test]
fn deep_flow_nesting_in_front_matter_is_refused_before_the_yaml_reader() {
    let read = |text: &str| {
        let path = std::path::Path::new("content/deep.md");
        let parts = dossier::front_matter::split(path, text).unwrap();
        dossier::front_matter::FrontMatter::parse(path, text, &parts).err()
    };
    for open in ["[", "{", "[a, "] {
        let text = format!("---\ntitle: Deep\nx: {}\n---\n", open.repeat(20_000));
        let problem = read(&text).expect("refused");
        assert_eq!(problem.code.as_str(), "E0105");
        assert_eq!(
            problem.message,
            "the front matter is nested 20000 levels deep; the most is 64"
        );
        let location = problem.location.as_ref().unwrap();
        let column = 4 + open.len() * 64;
        assert_eq!((location.line, location.column), (3, column), "{open:?}");
        let ratio = growth(open, 16 * 1024, |text| {
            read(&format!("---\nx: {text}\n---\n"));
        });
        // Measured: about 1 (the scan takes microseconds); the YAML
        // reader's work grew 64 times.
        assert!(
            ratio < 20.0,
            "{open:?}: {ratio:.1} times longer for 8 times the text"
        );
    }
    // Sixty-four levels are read as usual.
    let text = format!(
        "---\ntitle: Deep\nx: {}{}\n---\n",
        "[".repeat(64),
        "]".repeat(64)
    );
    assert!(read(&text).is_none());
}

#[test]
fn a_flood_of_one_mistake_reports_ten_and_counts_the_rest() {
    let body = "<b>".repeat(100_000);
    let problems = dossier::markdown::check_policy(
        std::path::Path::new("content/flood.md"),
        &body,
        0,
        dossier::policy::RawHtml::Escape,
    );
    assert_eq!(problems.len(), 11);
    assert!(
        problems[10]
            .message
            .starts_with("and 99,990 more like this in this file"),
        "{}",
        problems[10].message
    );
    assert_eq!(problems[10].location.as_ref().unwrap().column, 31);
    assert_eq!(problems[10].code, problems[0].code);

    // Through a build, for unknown citations and uncited paragraphs too.
    let paragraphs: String = (0..30)
        .map(|i| format!("Claim {i} [@missing].\n\nUncited {i}.\n\n"))
        .collect();
    let built = Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[check]\nsources_without_copy = \"off\"\n",
        )
        .file(
            "content/incidents/flood.md",
            &format!("---\ntitle: Flood\ndate: 2006\nsources: [amnesty-2023]\n---\n{paragraphs}"),
        )
        .build()
        .fails_with(11)
        .has(&["unknown source `missing`", "flood.md:42:11"])
        .has(&["and 20 more like this in this file", "flood.md:46:12"])
        .has(&["and 20 more like this in this file", "flood.md:48:1"]);
    let warnings_in_flood = built
        .report()
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .filter(|d| {
            d.location
                .as_ref()
                .is_some_and(|l| l.path.ends_with("flood.md"))
        })
        .count();
    assert_eq!(warnings_in_flood, 11, "{}", built.diagnostics());
}

#[test]
fn a_citation_naming_one_source_many_times_holds_it_once() {
    let keys = vec!["@a"; 200_000].join("; ");
    let body = format!("See [{keys}; @a, p. 3; @b, p. 1; @a, p. 3; @a, p. 4].\n");
    let found = dossier::cite::scan(&body, 0);
    let items: Vec<(&str, Option<&str>)> = found.citations[0]
        .items
        .iter()
        .map(|i| (i.key.as_str(), i.locator.as_deref()))
        .collect();
    assert!(items.len() < 10, "{} items", items.len());
    assert_eq!(items, [("a", Some("p. 3; p. 4")), ("b", Some("p. 1"))]);
}

#[test]
fn links_nested_in_each_other_are_located_in_linear_time() {
    let body = "[![a](@/x.md)](@/y.md \"@/y.md\") and ![b][r]\n\n[r]: @/z.md\n";
    let links: Vec<(String, &str)> = dossier::markdown::scan_links(body, 0)
        .into_iter()
        .map(|l| (l.target, &body[l.offset..]))
        .collect();
    assert_eq!(links[0].0, "@/y.md");
    assert!(links[0].1.starts_with("@/y.md \""), "{links:?}");
    assert_eq!(links[1].0, "@/x.md");
    assert!(links[1].1.starts_with("@/x.md)]"), "{links:?}");
    assert_eq!(links[2].0, "@/z.md");
    assert!(links[2].1.starts_with("![b]"), "{links:?}");

    for close in ["][r]", "](@/a.md)", "](javascript:a)"] {
        let ratio = growth("![", 8 * 1024, |opens| {
            let images = opens.len() / 2;
            let body = format!("{opens}x{}\n\n[r]: @/a.md\n", close.repeat(images));
            assert!(dossier::markdown::scan_links(&body, 0).len() <= images);
            dossier::markdown::check_policy(
                std::path::Path::new("content/nested.md"),
                &body,
                0,
                dossier::policy::RawHtml::Escape,
            );
        });
        // Measured: about 8; searching each link's whole text was 48.
        assert!(
            ratio < 20.0,
            "{close:?}: {ratio:.1} times longer for 8 times the text"
        );
    }
}
