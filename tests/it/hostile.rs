//! Hostile content: whatever an editor or contributor writes, no page and no
//! export can run it as script or formula.

use crate::harness::Site;

#[test]
fn a_summary_cannot_end_or_comment_out_the_json_ld_script() {
    let built = Site::linked()
        .file(
            "content/actors/amnesty.md",
            "---\ntitle: Amnesty International\nkind: ngo\nsummary: \"<!--<script></script><img src=x onerror=alert(1)> & co\"\n---\n",
        )
        .build()
        .clean();
    let page = built.page("actors/amnesty/index.html");
    let start = page.find("<script type=\"application/ld+json\">").unwrap();
    let json = &page[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    assert!(!json.contains(['<', '>', '&']), "{json}");
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(
        value["description"],
        "<!--<script></script><img src=x onerror=alert(1)> & co"
    );
}

#[test]
fn csv_text_cells_that_look_like_formulas_are_neutralised_numbers_kept() {
    let built = Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: \"=HYPERLINK(\\\"https://x.test\\\",\\\"click\\\")\"\ndate: 2005-11-19\nplace: {name: \"@SUM(A1)\", governorate: Anbar, lat: 34.1, lon: 42.4}\nperpetrators: [us-marine-corps]\ncasualties: {killed: 24}\nverification: corroborated\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .clean();
    let text = built.page("data/incidents.csv");
    let row = crate::harness::first_csv_row(&text);
    assert_eq!(row["title"], "'=HYPERLINK(\"https://x.test\",\"click\")");
    assert!(text.contains("'@SUM(A1)"), "{text}");
    assert!(!text.contains(",=") && !text.contains(",@"), "{text}");
    assert_eq!(row["lat"], "34.1");
}

#[test]
fn raw_html_in_a_body_is_shown_as_text_with_a_warning_at_it() {
    let built = Site::linked()
        .file(
            "content/actors/amnesty.md",
            "---\ntitle: Amnesty International\nkind: ngo\n---\nIntro.\n\n<script>alert(1)</script>\n\nA <img src=x onerror=alert(2)> here.\n",
        )
        .build();
    let built = built.has(&["raw HTML is shown as text", "amnesty.md:7:1"]);
    let built = built.has(&["raw HTML is shown as text", "amnesty.md:9:3"]);
    assert!(built.report().succeeded());
    let page = built.page("actors/amnesty/index.html");
    assert!(
        !page.contains("<script>alert") && !page.contains("<img src=x"),
        "{page}"
    );
    assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
}

#[test]
fn sanitize_keeps_harmless_html_and_trust_keeps_it_all() {
    let body = "---\ntitle: Amnesty International\nkind: ngo\n---\n<p class=\"note\" onclick=\"x()\">Kept <b>bold</b><script>alert(1)</script></p>\n";
    let site = Site::linked().file("content/actors/amnesty.md", body);
    let sanitized = site
        .file(
            "site.toml",
            &format!(
                "{}[markdown]\nraw_html = \"sanitize\"\n",
                crate::harness::SITE_TOML
            ),
        )
        .build()
        .clean();
    let page = sanitized.page("actors/amnesty/index.html");
    assert!(
        page.contains("<p class=\"note\">Kept <b>bold</b></p>"),
        "{page}"
    );
    assert!(
        !page.contains("alert(1)") && !page.contains("onclick"),
        "{page}"
    );
}

#[test]
fn javascript_urls_are_errors_at_the_link_or_field() {
    Site::linked()
        .file(
            "content/sources/amnesty-2023.md",
            "---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\ndate: 2023-03-20\nperspective: An NGO.\nurl: \"javascript:alert(1)\"\narchive: {url: \" JAVASCRIPT:alert(2)\"}\n---\nSee [this](JavaScript:alert(3)) and <vbscript:x> and [ok](https://example.org).\n",
        )
        .build()
        .fails()
        .has(&["`javascript:` scheme", "amnesty-2023.md:7:"])
        .has(&["`javascript:` scheme", "amnesty-2023.md:8:"])
        .has(&["`javascript:` scheme", "amnesty-2023.md:10:"])
        .has(&["`vbscript:` scheme", "amnesty-2023.md:10:"]);
}
