//! Link previews: every page's OpenGraph and Twitter card tags, and the
//! share image drawn for each document and for each language's home.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{SITE_TOML, Site};
use crate::html;

const BASE: &str = "https://example.org/dossier/";

/// `site.toml` of a test site in English and Arabic, published at `BASE`.
fn bilingual_toml() -> String {
    format!(
        "base_url = \"{BASE}\"\ndescription = \"What is demanded & why\"\n{SITE_TOML}[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ndigits = \"arab\"\ntitle = \"ملف الاختبار\"\n"
    )
}

fn bilingual() -> Site {
    Site::linked()
        .file("site.toml", &bilingual_toml())
        .file("content/_index.ar.md", "---\ntitle: الرئيسية\n---\nأهلًا.\n")
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مقتل مدنيين في حديثة\nsummary: قُتل أربعة وعشرون مدنيًا.\n---\nنص.\n",
        )
}

/// The `content` of each `<meta>` tag of a page by its `property` or
/// `name`, every value of one that is repeated.
fn meta(page: &str) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for tag in html::tags(page, "meta") {
        if let (Some(key), Some(content)) =
            (tag.get("property").or(tag.get("name")), tag.get("content"))
        {
            found.entry(key.clone()).or_default().push(content.clone());
        }
    }
    found
}

fn one<'a>(meta: &'a BTreeMap<String, Vec<String>>, key: &str, page: &str) -> &'a str {
    match meta.get(key).map(Vec::as_slice) {
        Some([value]) => value,
        other => panic!("{page}: `{key}` is {other:?}"),
    }
}

/// The width and height of a PNG, read by the `png` crate's decoder, with
/// every pixel decoded.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sized image")];
    let info = reader.next_frame(&mut pixels).expect("a whole PNG image");
    (info.width, info.height)
}

#[test]
fn every_page_has_its_link_preview_tags_with_absolute_addresses() {
    let built = bilingual().build().clean();
    let pages = html::pages(&built.output);
    assert!(pages.len() > 20);
    for path in &pages {
        let page = built.page(path);
        let meta = meta(&page);
        let article = ["actors/", "demands/", "figures/", "incidents/", "sources/"]
            .iter()
            .any(|folder| path.trim_start_matches("ar/").starts_with(folder))
            && path.matches('/').count() == 2 + usize::from(path.starts_with("ar/"));
        let arabic = path.starts_with("ar/");
        assert_eq!(
            one(&meta, "og:type", path),
            if article { "article" } else { "website" },
            "{path}"
        );
        assert_eq!(
            one(&meta, "og:locale", path),
            if arabic { "ar" } else { "en" }
        );
        assert!(!one(&meta, "og:title", path).is_empty(), "{path}");
        assert_eq!(
            one(&meta, "og:site_name", path),
            if arabic {
                "ملف الاختبار"
            } else {
                "Test dossier"
            }
        );
        assert_eq!(one(&meta, "twitter:card", path), "summary_large_image");
        assert_eq!(one(&meta, "og:image:width", path), "1200");
        assert_eq!(one(&meta, "og:image:height", path), "630");
        assert_eq!(one(&meta, "og:image:type", path), "image/png");
        assert!(!one(&meta, "og:image:alt", path).is_empty(), "{path}");
        let image = one(&meta, "og:image", path);
        assert_eq!(one(&meta, "twitter:image", path), image);
        // Every image named is published, and is a PNG of the named size.
        let published = image.strip_prefix(BASE).expect("an absolute address");
        assert!(built.exists(published), "{path} names {image}");
        if article {
            let folder = path.trim_end_matches("index.html");
            assert_eq!(published, format!("{folder}share.png"));
        }
        if path != "404.html" {
            let url = one(&meta, "og:url", path);
            assert_eq!(
                url,
                format!("{BASE}{}", path.trim_end_matches("index.html"))
            );
        }
    }
    let haditha = meta(&built.page("incidents/haditha-2005/index.html"));
    assert_eq!(haditha["og:title"], ["Haditha killings"]);
    assert_eq!(haditha["og:locale:alternate"], ["ar"]);
    // Without a summary, the site's description.
    assert_eq!(haditha["og:description"], ["What is demanded &amp; why"]);
    assert_eq!(
        haditha["og:image:alt"],
        ["Incident · 19 November 2005. Haditha killings. Killed: 24. Test dossier"]
    );
    let arabic = meta(&built.page("ar/incidents/haditha-2005/index.html"));
    assert_eq!(arabic["og:title"], ["مقتل مدنيين في حديثة"]);
    assert_eq!(arabic["twitter:description"], ["قُتل أربعة وعشرون مدنيًا."]);
    assert_eq!(arabic["og:locale:alternate"], ["en"]);
    // The Arabic edition's digits, as `site.toml` asks.
    assert!(arabic["og:image:alt"][0].contains("٢٤"), "{arabic:?}");
}

#[test]
fn every_share_image_is_listed_in_the_manifest_and_is_a_png_of_the_declared_size() {
    let built = bilingual().build().clean();
    let manifest = built.page("manifest.txt");
    let images: Vec<&str> = manifest
        .lines()
        .filter_map(|line| line.split(' ').nth(2))
        .filter(|path| path.ends_with("share.png"))
        .collect();
    // Six documents and a home page in English, two in Arabic.
    for expected in [
        "share.png",
        "ar/share.png",
        "incidents/haditha-2005/share.png",
        "ar/incidents/haditha-2005/share.png",
        "figures/deaths/share.png",
        "demands/investigate/share.png",
        "actors/amnesty/share.png",
        "sources/amnesty-2023/share.png",
    ] {
        assert!(images.contains(&expected), "{expected} not in {images:?}");
    }
    assert_eq!(images.len(), 9, "{images:?}");
    for image in images {
        let bytes = std::fs::read(built.output.join(image)).unwrap();
        assert_eq!(png_size(&bytes), (1200, 630), "{image}");
    }
}

#[test]
fn a_title_and_a_summary_cannot_leave_their_attribute_or_the_image() {
    let hostile = "\\\"><script>alert(1)</script> & {{ x }}";
    let built = Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            &format!(
                "---\ntitle: \"{hostile}\"\nsummary: \"'><img src=x onerror=alert(2)>\"\ndate: 2005-11-19\nperpetrators: [us-marine-corps]\nsources: [amnesty-2023]\n---\n"
            ),
        )
        .build()
        .clean();
    let page = built.page("incidents/haditha-2005/index.html");
    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"));
    let meta = meta(&page);
    assert_eq!(
        meta["og:title"],
        ["&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; {{ x }}"]
    );
    assert_eq!(meta["twitter:title"], meta["og:title"]);
    assert_eq!(
        meta["og:description"],
        ["&#39;&gt;&lt;img src=x onerror=alert(2)&gt;"]
    );
    // The image is still drawn, with the markup as text.
    let image = std::fs::read(built.output.join("incidents/haditha-2005/share.png")).unwrap();
    assert_eq!(png_size(&image), (1200, 630));
}

#[test]
fn without_base_url_no_address_nor_image_is_named_and_the_build_says_why() {
    let built = Site::linked().build().clean();
    assert!(
        (built.report().notes.iter()).any(|note| note == dossier::share::WITHOUT_BASE_URL),
        "{:?}",
        built.report().notes
    );
    let meta = meta(&built.page("incidents/haditha-2005/index.html"));
    assert_eq!(meta["og:title"], ["Haditha killings"]);
    assert_eq!(meta["twitter:card"], ["summary"]);
    for absent in ["og:url", "og:image", "twitter:image", "og:image:alt"] {
        assert!(!meta.contains_key(absent), "{absent}: {meta:?}");
    }
    // The images are drawn all the same, for a later `--base-url`.
    assert!(built.exists("incidents/haditha-2005/share.png"));
}

#[test]
fn share_images_can_be_turned_off() {
    let toml = format!("base_url = \"{BASE}\"\n{SITE_TOML}[share]\nimages = false\n");
    let built = Site::linked().file("site.toml", &toml).build().clean();
    assert!(!built.exists("incidents/haditha-2005/share.png"));
    assert!(!built.exists("share.png"));
    let meta = meta(&built.page("incidents/haditha-2005/index.html"));
    assert!(!meta.contains_key("og:image"), "{meta:?}");
    assert_eq!(meta["twitter:card"], ["summary"]);
    assert_eq!(meta["og:url"], [format!("{BASE}incidents/haditha-2005/")]);
}

#[test]
fn a_share_image_that_collides_with_a_static_file_is_an_error() {
    Site::linked()
        .file("static/share.png", "not a picture")
        .build()
        .fails()
        .has(&["share image", "would be published at `share.png`"]);
}

fn card(title: &str, direction: dossier::config::Direction) -> dossier::share::Card {
    dossier::share::Card {
        direction,
        kicker: "حادثة · ١٩ تشرين الثاني ٢٠٠٥".into(),
        title: title.into(),
        fact: Some("قتلى: ٢٤".into()),
        footer: Some("ملف".into()),
    }
}

/// How many pixels of two images of one size differ.
fn differing_pixels(a: &[u8], b: &[u8]) -> usize {
    // Every pixel as its colour, whatever the file's colour type (a
    // palette's indices differ from one image to another).
    let decode = |bytes: &[u8]| {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        let samples = frame.color_type.samples();
        pixels
            .chunks(samples)
            .map(|p| p[..3].to_vec())
            .collect::<Vec<_>>()
    };
    let (a, b) = (decode(a), decode(b));
    a.iter().zip(&b).filter(|(a, b)| a != b).count()
}

#[test]
fn an_arabic_title_is_drawn_and_drawn_from_the_right() {
    use dossier::config::Direction;
    let title = "مقتل مدنيين في حديثة";
    let drawn = dossier::share::png(&card(title, Direction::Rtl));
    let empty = dossier::share::png(&card("", Direction::Rtl));
    assert_eq!(png_size(&drawn), (1200, 630));
    // The title's glyphs cover thousands of pixels.
    assert!(differing_pixels(&drawn, &empty) > 5_000);
    // Right to left, the title ends where a left-to-right line begins:
    // the two images differ.
    let left = dossier::share::png(&card(title, Direction::Ltr));
    assert!(differing_pixels(&drawn, &left) > 5_000);
}

#[test]
fn the_arabic_edition_has_its_own_share_image() {
    let built = bilingual().build().clean();
    let read = |path: &str| std::fs::read(built.output.join(path)).unwrap();
    let english = read("incidents/haditha-2005/share.png");
    let arabic = read("ar/incidents/haditha-2005/share.png");
    assert!(differing_pixels(&english, &arabic) > 5_000);
    assert!(differing_pixels(&read("share.png"), &read("ar/share.png")) > 5_000);
}

fn share_images_with_threads(site: &Site, threads: usize) -> Vec<(String, Vec<u8>)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let output = site.root().join(format!("out-{threads}"));
    let built = pool.install(|| {
        site.build_with(|o| {
            o.mode = dossier::Mode::Publish {
                output: Some(output.clone()),
            }
        })
    });
    let built = built.clean();
    crate::harness::snapshot(&built.output)
        .into_iter()
        .filter(|(path, _)| path.ends_with("share.png"))
        .collect()
}

#[test]
fn share_images_are_the_same_bytes_with_one_and_four_threads() {
    let site = bilingual();
    let one = share_images_with_threads(&site, 1);
    let four = share_images_with_threads(&site, 4);
    assert_eq!(one.len(), 9);
    assert!(one == four);
}

#[test]
fn every_page_of_the_shipped_dossier_has_its_tags_and_every_document_its_image() {
    let (_, output) = crate::harness::shipped();
    let pages = html::pages(output);
    let mut images = 0;
    for path in &pages {
        let page = std::fs::read_to_string(output.join(path)).unwrap();
        let meta = meta(&page);
        for key in [
            "og:type",
            "og:title",
            "og:site_name",
            "og:locale",
            "twitter:card",
        ] {
            one(&meta, key, path);
        }
        if path.ends_with("/index.html") && one(&meta, "og:type", path) == "article" {
            let image = Path::new(path).with_file_name("share.png");
            let bytes = std::fs::read(output.join(&image)).unwrap();
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", image.display());
            images += 1;
        }
    }
    assert!(images > 100, "{images}");
    let haditha = std::fs::read(output.join("ar/incidents/haditha-2005/share.png")).unwrap();
    assert_eq!(png_size(&haditha), (1200, 630));
}
