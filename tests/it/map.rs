//! The map of incidents, the locator maps, and the checks of `place` against
//! the dossier's geography data.

use crate::harness::{Site, golden};

/// An incident of `Site::linked()`'s kind, with a place.
fn incident(slug: &str, place: &str, extra: &str) -> (String, String) {
    (
        format!("content/incidents/{slug}.md"),
        format!(
            "---\ntitle: Incident {slug}\ndate: 2006-01\nplace: {place}\nsources: [amnesty-2023]\n{extra}---\n"
        ),
    )
}

fn with(site: Site, files: &[(String, String)]) -> Site {
    files
        .iter()
        .fold(site, |site, (path, text)| site.file(path, text))
}

/// The `href`s of the markers of a map page, in document order.
fn marker_links(html: &str) -> Vec<String> {
    let start = html
        .find("<g class=\"map-markers\">")
        .expect("the map has a markers group");
    let group = &html[start..];
    let group = &group[..group.find("</svg>").unwrap()];
    group
        .match_indices("<a href=\"")
        .map(|(i, m)| {
            let rest = &group[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn shared_points_site() -> Site {
    with(
        Site::linked(),
        &[
            // Two in Baghdad with no coordinates share its centre.
            incident(
                "market",
                "{name: A market, governorate: Baghdad}",
                "verification: confirmed\ncasualties: {killed: {min: 3, max: 5}}\n",
            ),
            incident(
                "bridge",
                "{name: A bridge, governorate: Baghdad}",
                "verification: contested\ncasualties: {killed: 2}\n",
            ),
            // One at its own coordinates.
            incident(
                "falluja",
                "{name: Falluja, governorate: Anbar, lat: 33.35, lon: 43.78}",
                "",
            ),
            // One the map cannot place.
            incident("unstated", "{name: Not stated}", ""),
        ],
    )
}

#[test]
fn the_map_has_one_marker_per_place_linking_to_the_incident_or_the_place_page() {
    let built = shared_points_site().build().clean();
    let html = built.page("map/index.html");
    let mut links = marker_links(&html);
    links.sort();
    // Haditha (Anbar's centre), Falluja, and Baghdad's two.
    assert_eq!(
        links,
        [
            "../incidents/falluja/index.html",
            "../incidents/haditha-2005/index.html",
            "../places/baghdad/index.html",
        ]
    );
    for link in &links {
        let target = link.trim_start_matches("../");
        assert!(built.exists(target), "{link} leads nowhere");
    }
    assert!(
        html.contains("aria-label=\"Baghdad — Incidents: 2\""),
        "{html}"
    );
    assert!(html.contains("aria-label=\"Incident falluja\""));
    // Two levels at one place: the marker says so.
    assert!(html.contains("class=\"mk mk-mixed\""));
    assert!(html.contains("Incidents whose place the map cannot show: <bdi dir=\"ltr\">1</bdi>."));
}

#[test]
fn the_table_beside_the_map_counts_incidents_and_killed_by_governorate() {
    let built = shared_points_site().build().clean();
    let html = built.page("map/index.html");
    let table = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    let rows: Vec<&str> = table.split("<tr>").skip(1).collect();
    assert_eq!(rows.len(), 2, "{table}");
    // Two each, so in alphabetical order. Anbar: Haditha's 24 killed, and
    // Falluja records none; Baghdad: 3–5 and 2.
    assert!(
        rows[0].contains(">Anbar</a>") && rows[0].contains(">2<") && rows[0].contains(">24<"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].contains(">Baghdad</a>") && rows[1].contains(">2<") && rows[1].contains(">5–7<"),
        "{}",
        rows[1]
    );
}

#[test]
fn the_arabic_map_has_arabic_labels_and_table_but_is_not_mirrored() {
    let built = shared_points_site()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .file("content/_index.ar.md", "---\ntitle: الرئيسية\n---\n")
        .file(
            "content/incidents/market.ar.md",
            "---\ntitle: سوق\ndate: 2006-01\nplace: {name: سوق, governorate: Baghdad}\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .clean();
    let html = built.page("ar/map/index.html");
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("<svg class=\"map\"") && html.contains("dir=\"ltr\""));
    assert!(
        html.contains(">بغداد</text>"),
        "governorate labels are Arabic"
    );
    assert!(html.contains("<th scope=\"col\">المحافظة</th>"));
    // The same plane in both editions: the Arabic map is not flipped.
    let english = built.page("map/index.html");
    let outline = |h: &str| {
        let at = h.find("class=\"map-country\" d=\"").unwrap();
        h[at..at + 200].to_string()
    };
    assert_eq!(outline(&html), outline(&english));
    // Markers lead to pages of the Arabic edition where there are some.
    assert!(marker_links(&html).contains(&"../../ar/places/baghdad/index.html".to_string()));
}

#[test]
fn incident_and_place_pages_have_a_small_locator_map() {
    let built = shared_points_site().build().clean();
    for page in ["incidents/falluja/index.html", "places/anbar/index.html"] {
        let html = built.page(page);
        let start = html
            .find("<svg class=\"locator\"")
            .unwrap_or_else(|| panic!("no locator on {page}"));
        let svg = &html[start..start + html[start..].find("</svg>").unwrap()];
        assert!(
            svg.contains("role=\"img\" aria-label=\"Location on the map: "),
            "{svg}"
        );
        assert!(
            svg.len() < 6_000,
            "the locator of {page} is {} bytes",
            svg.len()
        );
    }
    assert!(
        built
            .page("places/anbar/index.html")
            .contains("class=\"locator-region\"")
    );
    // Nothing to mark, no locator.
    assert!(
        !built
            .page("incidents/unstated/index.html")
            .contains("class=\"locator\"")
    );
}

#[test]
fn a_site_without_geography_data_maps_by_coordinates_with_no_locator_and_no_governorate_checks() {
    let site = with(
        Site::linked(),
        &[incident(
            "atlantis",
            "{name: Somewhere, governorate: Atlantis, lat: 0, lon: 0}",
            "",
        )],
    );
    std::fs::remove_file(site.root().join("data/geography.json")).unwrap();
    let built = site.build().clean();
    assert!(built.exists("map/index.html"));
    assert!(
        !built
            .page("incidents/atlantis/index.html")
            .contains("<svg class=\"locator\"")
    );
    assert!(built.page("index.html").contains("map/index.html"));
}

#[test]
fn a_site_can_bring_its_own_geography() {
    let built = Site::linked()
        .file(
            "data/geography.json",
            r#"{"format":"dossier-geography/1","source":"made up","licence":"none","projection":"equirectangular",
"names":{"en":"Squareland"},"bbox":[40,30,44,34],"outline":[[[40,30],[44,30],[44,34],[40,34]]],
"regions":[{"id":"SQ-A","names":{"en":"Anbar"},"centroid":[41,31],"outline":[[[40,30],[42,30],[42,32],[40,32]]]}]}"#,
        )
        .build()
        .clean();
    let html = built.page("map/index.html");
    assert!(html.contains("Squareland"));
    assert_eq!(
        marker_links(&html),
        ["../incidents/haditha-2005/index.html"]
    );
}

#[test]
fn each_mistake_in_a_place_is_reported_at_its_field() {
    let built = with(
        Site::linked(),
        &[
            // Close to a name: "did you mean".
            incident("typo", "{name: Town, governorate: Bagdad}", ""),
            // Another spelling of a governorate: the one to use.
            incident("alias", "{name: Tikrit, governorate: Saladin}", ""),
            // Nothing like any: the list, no guess.
            incident("nowhere", "{name: Town, governorate: Atlantis}", ""),
            // Outside the bounding box.
            incident("paris", "{name: Paris, lat: 48.86, lon: 2.35}", ""),
            // Latitude and longitude swapped.
            incident("swapped", "{name: Mosul, lat: 43.13, lon: 36.34}", ""),
            // A latitude alone.
            incident("alone", "{name: Basra, governorate: Basra, lat: 30.5}", ""),
        ],
    )
    .build()
    .fails_with(6);
    let built = built
        .has(&[
            "`Bagdad` is not one of the 18 governorates of Iraq",
            "did you mean `Baghdad`?",
            "typo.md:4:",
        ])
        .has(&["`Saladin`", "did you mean `Salah al-Din`?"])
        .has(&[
            "`lat: 48.86, lon: 2.35` is outside Iraq",
            "latitudes 29 and 37.4",
        ])
        .has(&["look swapped"])
        .has(&["`place` has `lat` but no `lon`", "give both"]);
    let nowhere = built
        .report()
        .diagnostics
        .iter()
        .find(|d| d.message.contains("Atlantis"))
        .unwrap()
        .to_string();
    assert!(!nowhere.contains("did you mean"), "{nowhere}");
    assert!(nowhere.contains("`Anbar`, `Babil`, `Baghdad`"), "{nowhere}");
    golden("place-mistakes.txt", &built.diagnostics());
}

#[test]
fn a_latitude_alone_is_an_error_even_without_geography_data() {
    let site = with(
        Site::linked(),
        &[incident("alone", "{name: Basra, lon: 47.8}", "")],
    );
    std::fs::remove_file(site.root().join("data/geography.json")).unwrap();
    site.build()
        .fails()
        .has(&["`place` has `lon` but no `lat`", "alone.md:4:"]);
}

#[test]
fn a_malformed_geography_file_is_reported_at_its_position() {
    Site::linked()
        .file(
            "data/geography.json",
            "{\"format\": \"dossier-geography/1\",\n  \"bbox\": [1, 2,\n}",
        )
        .build()
        .fails()
        .has(&[
            "the geography file cannot be read",
            "data/geography.json:3:1",
        ]);
}
