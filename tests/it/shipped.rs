//! The shipped dossier: it builds with no diagnostic, and it keeps the rules
//! of the content model that a reader relies on.

use std::path::Path;

use dossier::model::{Collection, DocKind, Fields};

#[test]
fn the_shipped_dossier_builds_with_zero_diagnostics() {
    let (report, _) = crate::harness::shipped();
    let text: Vec<String> = report.diagnostics.iter().map(ToString::to_string).collect();
    assert!(report.diagnostics.is_empty(), "{}", text.join("\n"));
    assert!(report.pages > 50);
    // Every paragraph of a claim is cited or marked as the editors' own.
    assert!(report.sourcing.paragraphs > 100, "{}", report.sourcing);
    assert_eq!(report.sourcing.uncited(), 0, "{}", report.sourcing);
}

/// Reads the shipped documents through the library's own stages.
fn documents() -> Vec<dossier::model::Document> {
    let root = crate::harness::repo();
    let dirs = dossier::discover::SiteDirs::new(&root, "default");
    let found = dossier::discover::discover(&dirs, &["en", "ar"], "en");
    assert!(found.problems.is_empty());
    // Translations carry only text: they are read against their originals
    // (`model::translate`), not as documents of their own.
    found
        .documents
        .into_iter()
        // Translations carry only text; their facts are their originals'.
        .filter(|file| file.lang.is_none())
        .map(|file| {
            let parts = dossier::front_matter::split(&file.path, &file.text).unwrap();
            let (document, problems) = dossier::model::read_document(
                file.kind,
                file.slug,
                String::new(),
                file.path,
                file.text,
                &parts,
            );
            assert!(problems.is_empty(), "{problems:?}");
            document.unwrap_or_else(|unread| panic!("{} could not be read", unread.path.display()))
        })
        .collect()
}

#[test]
fn every_incident_and_every_estimate_has_a_source_and_every_source_a_perspective() {
    let documents = documents();
    let mut counts = [0; 3];
    for document in &documents {
        match &document.fields {
            Fields::Incident(incident) => {
                counts[0] += 1;
                assert!(
                    !incident.sources.is_empty(),
                    "{} has no source",
                    document.path.display()
                );
            }
            Fields::Figure(figure) => {
                for estimate in &figure.estimates {
                    counts[1] += 1;
                    assert!(
                        !estimate.source.source.is_empty(),
                        "an estimate in {} has no source",
                        document.path.display()
                    );
                }
            }
            Fields::Source(source) => {
                counts[2] += 1;
                let perspective = source.perspective.as_deref().unwrap_or("");
                assert!(
                    perspective.len() > 20,
                    "{} has no perspective note",
                    document.path.display()
                );
            }
            _ => {}
        }
    }
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
}

#[test]
fn each_seed_text_has_its_source_page() {
    let documents = documents();
    let has = |slug: &str| {
        documents
            .iter()
            .any(|d| d.kind == DocKind::Entry(Collection::Sources) && d.slug == slug)
    };
    for slug in crate::shipped::SEED_SOURCES {
        assert!(has(slug), "no source page content/sources/{slug}.md");
        assert!(
            Path::new(&crate::harness::repo().join(format!("content/sources/{slug}.md"))).exists()
        );
    }
}

/// The source page written for each of the five seed texts.
pub const SEED_SOURCES: [&str; 5] = [
    "amnesty-2023-twenty-years",
    "amnesty-uk-2010-civilians-under-fire",
    "russia-mfa-2023-invasion",
    "justice-for-iraq-2008-statement",
    "news-2023-tufan-invasion-anniversary",
];

/// The `href`s of a page that point at documents of `collection`, as slugs.
fn linked_slugs(html: &str, collection: &str) -> std::collections::BTreeSet<String> {
    let marker = format!("{collection}/");
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter_map(|href| {
            let at = href.find(&marker)?;
            let slug = href[at + marker.len()..].strip_suffix("/index.html")?;
            (!slug.is_empty() && !slug.contains('/')).then(|| slug.to_string())
        })
        .collect()
}

#[test]
fn every_demand_links_to_its_incidents_and_sources_and_they_link_back() {
    let (report, output) = crate::harness::shipped();
    assert!(report.succeeded());
    let read = |path: String| std::fs::read_to_string(output.join(path)).unwrap();
    let demands = std::fs::read_dir(output.join("demands"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "index.html")
        .collect::<Vec<_>>();
    assert!(demands.len() >= 11);
    let mut incidents_seen = 0;
    for demand in &demands {
        let page = read(format!("demands/{demand}/index.html"));
        let sources = linked_slugs(&page, "sources");
        assert!(
            !sources.is_empty(),
            "the demand {demand} links to no source"
        );
        for incident in linked_slugs(&page, "incidents") {
            incidents_seen += 1;
            let back = read(format!("incidents/{incident}/index.html"));
            assert!(
                linked_slugs(&back, "demands").contains(demand),
                "incidents/{incident} does not link back to demands/{demand}"
            );
        }
        for source in sources {
            let back = read(format!("sources/{source}/index.html"));
            assert!(
                linked_slugs(&back, "demands").contains(demand),
                "sources/{source} does not link back to demands/{demand}"
            );
        }
    }
    assert!(incidents_seen > 0);
}

/// Without a publisher, the shipped pages' citations named nobody behind
/// the dossier: `[publisher] name` in site.toml (in Arabic, the Arabic
/// edition's `publisher`) is named in every page's citation, as text and
/// in the CSL-JSON download.
#[test]
fn the_shipped_pages_cite_the_publisher_site_toml_names() {
    let root = crate::harness::repo();
    let settings: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("site.toml")).unwrap()).unwrap();
    let english = settings["publisher"]["name"]
        .as_str()
        .expect("the shipped site.toml names a publisher");
    let arabic = settings["languages"]["ar"]["publisher"]
        .as_str()
        .expect("the shipped site.toml names the publisher in Arabic");
    assert_ne!(english, arabic);
    let (_, output) = crate::harness::shipped();
    for (page, publisher) in [
        ("demands", english),
        ("incidents", english),
        ("ar/incidents", arabic),
    ] {
        let folder = output.join(page);
        let first = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("index.html").exists())
            .min()
            .unwrap();
        let html = std::fs::read_to_string(first.join("index.html")).unwrap();
        let start = html
            .find("<section class=\"cite-this\"")
            .expect("a citation");
        let end = html[start..].find("</section>").unwrap() + start;
        let section = &html[start..end];
        let text = section.split("<a href=").next().unwrap();
        assert!(text.contains(publisher), "{}: {text}", first.display());
        // The CSL-JSON download, percent-encoded in its data: address,
        // compact or pretty-printed.
        let encoded: String = publisher
            .bytes()
            .map(|b| match b {
                b if b.is_ascii_alphanumeric() => char::from(b).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect();
        assert!(
            ["%3A", "%3A%20"]
                .iter()
                .any(|colon| section.contains(&format!("%22publisher%22{colon}%22{encoded}%22"))),
            "{}: no publisher in the CSL-JSON",
            first.display()
        );
    }
}

/// The incident pages a line of text links to, as slugs.
fn incident_links(line: &str) -> Vec<&str> {
    line.split("(@/incidents/")
        .skip(1)
        .filter_map(|rest| rest.split_once(".md)").map(|(slug, _)| slug))
        .collect()
}

/// The shipped incident called `slug`.
fn incident<'a>(
    documents: &'a [dossier::model::Document],
    slug: &str,
) -> &'a dossier::model::Incident {
    documents
        .iter()
        .find_map(|d| match &d.fields {
            Fields::Incident(incident) if d.slug == slug => Some(incident),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no incident {slug}"))
}

#[test]
fn the_methodology_illustrates_each_verification_level_with_a_page_marked_so() {
    let documents = documents();
    let methodology =
        std::fs::read_to_string(crate::harness::repo().join("content/methodology.md")).unwrap();
    let mut examples = 0;
    for level in dossier::model::Verification::WORDS {
        let Some(line) = methodology
            .lines()
            .find(|line| line.starts_with(&format!("- **{level}** —")))
        else {
            panic!("the methodology does not define {level}");
        };
        for slug in incident_links(line) {
            examples += 1;
            let shown = incident(&documents, slug).verification.map(|v| v.as_str());
            assert_eq!(
                shown,
                Some(*level),
                "the methodology's example of {level}: {slug}"
            );
        }
    }
    assert!(examples >= 3, "{examples}");
}

#[test]
fn the_guide_s_incident_example_gives_the_facts_and_locators_of_its_page() {
    let documents = documents();
    let guide = std::fs::read_to_string(crate::harness::repo().join("content/guide.md")).unwrap();
    let (_, after) = guide.split_once("## Adding an incident").unwrap();
    let (_, block) = after.split_once("```yaml\n").unwrap();
    let (example, _) = block.split_once("```").unwrap();
    let path = std::path::PathBuf::from("content/guide.md");
    let parts = dossier::front_matter::split(&path, example).unwrap();
    let (read, problems) = dossier::model::read_document(
        DocKind::Entry(Collection::Incidents),
        "haditha-2005".into(),
        String::new(),
        path,
        example.to_string(),
        &parts,
    );
    assert!(problems.is_empty(), "{problems:?}");
    let Fields::Incident(shown) = read.unwrap_or_else(|_| panic!("unread")).fields else {
        panic!("not an incident")
    };
    let page = incident(&documents, "haditha-2005");
    let facts = |i: &dossier::model::Incident| {
        let located = |r: &dossier::model::SourceRef| (r.source.clone(), r.locator.clone());
        (
            format!("{:?} {:?} {:?}", i.date, i.perpetrators, i.casualties),
            i.verification.map(|v| v.as_str()),
            i.place
                .as_ref()
                .map(|p| (p.name.clone(), p.governorate.clone())),
            i.sources.iter().map(located).collect::<Vec<_>>(),
            i.accountability
                .iter()
                .map(|s| {
                    (
                        format!("{:?}", s.date),
                        s.step.as_str(),
                        s.source.as_ref().map(located),
                    )
                })
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(facts(&shown), facts(page));
}
