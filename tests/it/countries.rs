//! Dossiers about any country: `dossier init --country`, `dossier
//! geography`, the `region` key (and `governorate`, its older name), and
//! maps of several countries or of none.

use std::path::Path;

use crate::harness::Site;
use crate::scaffold::{run_in, try_init};

/// A country of a different shape or script, one of its divisions by its
/// English name and by another name Natural Earth gives it, a point inside
/// it, and what the interface calls the country's divisions.
struct Country {
    code: &'static str,
    english: &'static str,
    other: &'static str,
    lat: f64,
    lon: f64,
    map_table: &'static str,
    /// Another division, by its English and Arabic names.
    arabic_only: (&'static str, &'static str),
}

const COUNTRIES: [Country; 5] = [
    Country {
        code: "sy",
        english: "Aleppo",
        other: "حلب",
        lat: 36.2,
        lon: 37.15,
        map_table: "Incidents by governorate",
        arabic_only: ("Daraa", "درعا"),
    },
    Country {
        code: "CO",
        english: "Antioquia",
        other: "أنتيوكيا",
        lat: 6.25,
        lon: -75.56,
        map_table: "Incidents by department",
        arabic_only: ("Cauca", "كاوكا"),
    },
    Country {
        code: "mm",
        english: "Rakhine State",
        other: "راخين",
        lat: 20.15,
        lon: 92.9,
        map_table: "Incidents by region",
        arabic_only: ("Shan State", "شان"),
    },
    Country {
        code: "UA",
        english: "Kharkiv",
        other: "خاركيف",
        lat: 49.99,
        lon: 36.23,
        map_table: "Incidents by region",
        arabic_only: ("Lviv", "لفيف"),
    },
    Country {
        code: "Sd",
        english: "North Darfur",
        other: "شمال دارفور",
        lat: 13.63,
        lon: 25.35,
        map_table: "Incidents by state",
        arabic_only: ("Khartoum", "الخرطوم"),
    },
];

/// An incident of a site `dossier init` made, placed as `place` says.
fn incident(site: &Path, slug: &str, place: &str) {
    std::fs::write(
        site.join(format!("content/incidents/{slug}.md")),
        format!(
            "---\ntitle: Incident {slug}\ndate: 2024-03\nplace: {place}\nperpetrators: [example-force]\nsources: [{{source: example-report, locator: \"para. 1\"}}]\n---\n\nWhat happened [@example-report, para. 1].\n"
        ),
    )
    .unwrap();
}

fn build(site: &Path) -> dossier::Report {
    dossier::build(&dossier::Options {
        root: site.to_path_buf(),
        drafts: false,
        mode: dossier::Mode::Publish { output: None },
        base_url: None,
        sign: None,
        strict: false,
    })
    .unwrap()
}

fn diagnostics(report: &dossier::Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// How many regions a map page draws.
fn regions_drawn(map: &str) -> usize {
    let start = map.find("<g class=\"map-regions\">").expect("regions");
    let group = &map[start..];
    group[..group.find("</g>").unwrap()]
        .matches("<path ")
        .count()
}

#[test]
fn init_with_a_country_builds_its_map_with_its_divisions_by_any_of_their_names() {
    for country in &COUNTRIES {
        let (_dir, site, out) = try_init(&["--host", "none", "--country", country.code]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let written = dossier::geography::country(country.code).unwrap();
        incident(
            &site,
            "by-english-name",
            &format!(
                "{{name: A town, region: {}, lat: {}, lon: {}}}",
                country.english, country.lat, country.lon
            ),
        );
        incident(
            &site,
            "by-other-name",
            &format!("{{name: Another town, region: {}}}", country.other),
        );
        incident(
            &site,
            "in-arabic-only",
            &format!("{{name: A third town, region: {}}}", country.arabic_only.1),
        );
        let report = build(&site);
        assert_eq!(report.errors(), 0, "{}", diagnostics(&report));
        let map = std::fs::read_to_string(site.join("public/map/index.html")).unwrap();
        assert_eq!(
            regions_drawn(&map),
            written.region_count(),
            "{}",
            country.code
        );
        assert!(map.contains(country.english), "{}", country.code);
        assert!(map.contains(country.map_table), "{}", country.code);
        // The point is inside the division it names: both incidents are
        // counted in its row.
        let row = &map[map.find(&format!(">{}</a>", country.english)).unwrap()..];
        assert!(
            row[..row.find("</tr>").unwrap()].contains(">2<"),
            "{}: {row:.300}",
            country.code
        );
        // A division named in Arabic alone links its row to its place
        // page all the same.
        let english = country.arabic_only.0;
        assert!(
            map.contains(&format!(">{english}</a>")),
            "{}: {english}",
            country.code
        );
    }
}

#[test]
fn a_division_of_another_country_is_an_error_that_names_the_country_and_the_command() {
    let (_dir, site, out) = try_init(&["--host", "none", "--country", "SY"]);
    assert!(out.status.success());
    incident(&site, "elsewhere", "{name: A town, region: Kharkiv}");
    incident(&site, "misspelt", "{name: A town, region: Alepo}");
    let report = build(&site);
    let text = diagnostics(&report);
    assert_eq!(report.errors(), 2, "{text}");
    assert!(
        text.contains("`Kharkiv` is not one of the 15 governorates of Syria"),
        "{text}"
    );
    assert!(
        text.contains("did you mean to map Ukraine too? Run `dossier geography SY,UA`"),
        "{text}"
    );
    assert!(text.contains("did you mean `Aleppo`?"), "{text}");
}

#[test]
fn an_unknown_country_code_is_refused_in_plain_words_naming_the_country_meant() {
    let (_dir, site, out) = try_init(&["--country", "Syira"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("`Syira` is not a country code: did you mean `SY` (Syria)?"),
        "{stderr}"
    );
    assert!(!site.exists(), "nothing is written");
    let (_dir, _site, out) = try_init(&["--country", "XZ"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("two-letter ISO 3166-1 code"), "{stderr}");
}

#[test]
fn geography_regenerates_the_map_for_other_countries_in_a_dossier() {
    let (_dir, site, out) = try_init(&["--host", "none", "--country", "IQ"]);
    assert!(out.status.success());
    let (ok, stderr) = run_in(&site, &["geography", "sy,iq"]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("Syria (15 governorates), Iraq (18 governorates)"),
        "{stderr}"
    );
    incident(&site, "aleppo", "{name: A town, region: Aleppo}");
    incident(&site, "mosul", "{name: A town, governorate: Nineveh}");
    let report = build(&site);
    assert_eq!(report.errors(), 0, "{}", diagnostics(&report));
    let map = std::fs::read_to_string(site.join("public/map/index.html")).unwrap();
    assert_eq!(regions_drawn(&map), 15 + 18);
    let (ok, stderr) = run_in(&site, &["geography", "XX"]);
    assert!(!ok && stderr.contains("not a country code"), "{stderr}");
}

#[test]
fn init_without_a_country_writes_no_geography_and_says_how_to_add_one() {
    let (_dir, site, out) = try_init(&["--host", "none"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!site.join("data/geography.json").exists());
    assert!(stderr.contains("dossier geography XX"), "{stderr}");
    // No country is declared, so no division is checked against one; no
    // incident has coordinates, so there is no map.
    incident(&site, "anywhere", "{name: A town, region: Somewhere}");
    let report = build(&site);
    assert_eq!(report.errors(), 0, "{}", diagnostics(&report));
    assert!(!site.join("public/map/index.html").exists());
}

#[test]
fn a_dossier_without_a_country_maps_incidents_by_their_coordinates_alone() {
    let (_dir, site, out) = try_init(&["--host", "none"]);
    assert!(out.status.success());
    incident(
        &site,
        "aleppo",
        "{name: Aleppo, region: Aleppo, lat: 36.2, lon: 37.15}",
    );
    incident(&site, "kharkiv", "{name: Kharkiv, lat: 49.99, lon: 36.23}");
    let report = build(&site);
    assert_eq!(report.errors(), 0, "{}", diagnostics(&report));
    let map = std::fs::read_to_string(site.join("public/map/index.html")).unwrap();
    assert_eq!(regions_drawn(&map), 0);
    let markers = &map[map.find("<g class=\"map-markers\">").unwrap()..];
    let markers = &markers[..markers.find("</svg>").unwrap()];
    assert_eq!(markers.matches("<a href=").count(), 2, "{markers:.600}");
    // No country's outline is drawn, so neither Natural Earth nor a table
    // of divisions is named.
    assert!(!map.contains("class=\"map-source\""));
    assert!(!map.contains("map-table"));
    // Aleppo is north of Kharkiv's latitude minus a margin, and drawn
    // south of it: north is up.
    let y = |slug: &str| -> f64 {
        let at = markers.find(&format!("incidents/{slug}/")).unwrap();
        let rest = &markers[at..];
        let cy = &rest[rest.find("cy=\"").unwrap() + 4..];
        cy[..cy.find('"').unwrap()].parse().unwrap()
    };
    assert!(y("aleppo") > y("kharkiv"));
    let page = std::fs::read_to_string(site.join("public/incidents/aleppo/index.html")).unwrap();
    assert!(
        !page.contains("<svg class=\"locator\""),
        "no locator without a country"
    );
}

#[test]
fn region_and_governorate_are_one_field_and_both_at_once_is_an_error_at_the_line() {
    let site = Site::linked().file(
        "content/incidents/both.md",
        "---\ntitle: Both\ndate: 2005\nplace:\n  name: Haditha\n  region: Anbar\n  governorate: Anbar\nsources: [amnesty-2023]\n---\n",
    );
    site.build().fails().has(&[
        "content/incidents/both.md:7:3",
        "`place` has both `region` and `governorate`",
        "`governorate` is the older name of `region`",
    ]);
    let built = Site::linked()
        .file(
            "content/incidents/region.md",
            "---\ntitle: Region\ndate: 2005\nplace: {name: Falluja, region: Anbar}\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .clean();
    // Filed under its governorate's place page, as `governorate` files it.
    assert!(
        built
            .page("incidents/region/index.html")
            .contains("places/anbar/index.html")
    );
}

#[test]
fn an_unknown_region_is_reported_at_the_key_the_editor_wrote() {
    Site::linked()
        .file(
            "content/incidents/far.md",
            "---\ntitle: Far\ndate: 2005\nplace: {name: Far, region: Atlantis}\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "content/incidents/far.md:4:",
            "`Atlantis` is not one of the 18 governorates of Iraq",
        ]);
}

#[cfg(unix)]
#[test]
fn geography_writes_nothing_through_a_link_out_of_the_dossier() {
    let (_dir, site, out) = try_init(&["--host", "none"]);
    assert!(out.status.success());
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.join("data")).unwrap();
    let (ok, stderr) = run_in(&site, &["geography", "IQ"]);
    assert!(!ok, "{stderr}");
    assert!(!elsewhere.path().join("geography.json").exists());
}
