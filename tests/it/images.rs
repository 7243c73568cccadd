//! Images and attachments in bodies: where they are published and linked,
//! misspelt names, figures, the smaller copies for phones, the metadata
//! removed from photos, and the files listed with their SHA-256.

use std::io::Cursor;

use crate::harness::Site;
use crate::html;

/// A PNG `width` by `height` pixels, its colour from its size.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, 90, (y % 256) as u8])
    });
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

/// A JPEG carrying an EXIF segment, as a phone writes it: the device's
/// make and the GPS position where the photo was taken.
fn jpeg_with_gps() -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II\x2a\0\x08\0\0\0".to_vec();
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    };
    // IFD0 at 8: Make (ASCII, at 38) and the GPS IFD's place (at 46).
    tiff.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut tiff, 0x010F, 2, 8, 38);
    entry(&mut tiff, 0x8825, 4, 1, 46);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(b"PhoneCo\0");
    // The GPS IFD at 46: latitude "N", 33° 18' 0" (three rationals at 76).
    tiff.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut tiff, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut tiff, 0x0002, 5, 3, 76);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for (numerator, denominator) in [(33u32, 1u32), (18, 1), (0, 1)] {
        tiff.extend_from_slice(&numerator.to_le_bytes());
        tiff.extend_from_slice(&denominator.to_le_bytes());
    }
    assert_eq!(tiff.len(), 100);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    let plain = jpeg(1200, 800);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&segment);
    out.extend_from_slice(&plain[2..]);
    out
}

/// The EXIF data of a file, read by a reader that is not the build's.
fn exif_of(bytes: &[u8]) -> Option<exif::Exif> {
    exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()
}

/// A site with the one source every incident here names.
fn site() -> Site {
    Site::new().file(
        "content/sources/report.md",
        "---\ntitle: A report\nkind: ngo-report\nperspective: An observer.\n---\n",
    )
}

fn incident(body: &str) -> String {
    format!(
        "---\ntitle: Gate\ndate: 2004-05-01\nplace: {{name: Baghdad, governorate: Baghdad}}\nverification: single-source\nsources: [report]\n---\n{body}"
    )
}

/// The `src` of every `<img>` of a page, resolved from the page to a path
/// in the output.
fn image_paths(page: &str, html: &str) -> Vec<String> {
    html::tags(html, "img")
        .iter()
        .map(|img| html::resolve(page, &img["src"]))
        .collect()
}

#[test]
fn images_beside_a_document_and_in_files_publish_where_the_page_links_them() {
    let page = "incidents/gate/index.html";
    let site = site()
        .file(
            "content/incidents/gate.md",
            &incident(
                "![The gate](gate.png)\n\n![A map](photos/map.png)\n\n![A letter](@/files/letter.png)\n\n![A wall](/files/wall.png)\n",
            ),
        )
        .bytes("content/incidents/gate.png", &png(40, 30))
        .bytes("content/incidents/photos/map.png", &png(40, 30))
        .bytes("content/files/letter.png", &png(40, 30))
        .bytes("content/files/wall.png", &png(40, 30));
    let built = site
        .build_with(|o| o.base_url = Some("https://x.org/sub/".into()))
        .clean();
    let html = built.page(page);
    let paths = image_paths(page, &html);
    assert_eq!(
        paths,
        [
            "incidents/gate.png",
            "incidents/photos/map.png",
            "files/letter.png",
            "files/wall.png"
        ]
    );
    for path in &paths {
        assert!(built.exists(path), "{path} is linked but not published");
    }
    // Relative links only: they work under `/sub/` and from a folder.
    for img in html::tags(&html, "img") {
        assert!(img["src"].starts_with("../../"), "{img:?}");
    }
}

#[test]
fn a_misspelt_image_is_an_error_at_its_place_with_the_name_that_exists() {
    site()
        .file(
            "content/incidents/gate.md",
            &incident("Before.\n\n![The gate](gaet.png)\n"),
        )
        .bytes("content/incidents/gate.png", &png(40, 30))
        .build()
        .fails()
        .has(&[
            "content/incidents/gate.md:10:13",
            "![The gate](gaet.png)",
            "^^^^^^^^",
            "did you mean `gate.png`?",
        ]);
}

#[test]
fn a_missing_attachment_and_a_path_out_of_content_are_errors() {
    site()
        .file(
            "content/incidents/gate.md",
            &incident("See [the report](@/files/repor.pdf).\n\n![x](../../secret.png)\n"),
        )
        .bytes("content/files/report.pdf", b"%PDF-1.4\n")
        .build()
        .fails()
        .has(&["did you mean `@/files/report.pdf`?"])
        .has(&["climbs out of `content/`"]);
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_figure_with_caption_and_credit() {
    let built = site()
        .file(
            "content/incidents/gate.md",
            &incident(
                "![Families waiting at the gate](gate.png \"The gate, May 2004\")\nPhoto: [Agency](https://example.org) {.credit}\n\nText with ![an icon](gate.png) inline.\n",
            ),
        )
        .bytes("content/incidents/gate.png", &png(40, 30))
        .build()
        .clean();
    let html = built.page("incidents/gate/index.html");
    assert!(
        html.contains("<figcaption>The gate, May 2004 <small class=\"credit\">Photo: <a href=\"https://example.org\">Agency</a></small></figcaption></figure>"),
        "{html}"
    );
    assert!(!html.contains("{.credit}"));
    assert_eq!(html.matches("<figure>").count(), 1, "{html}");
    let images = html::tags(&html, "img");
    assert_eq!(images[0]["alt"], "Families waiting at the gate");
    assert!(!images[0].contains_key("title"));
}

#[test]
fn an_image_without_a_description_is_a_warning_saying_what_to_write() {
    site()
        .file("content/incidents/gate.md", &incident("![](gate.png)\n"))
        .bytes("content/incidents/gate.png", &png(40, 30))
        .build()
        .has(&[
            "content/incidents/gate.md:8:",
            "this image has no description",
            "![Families waiting at the gate](gate.png)",
        ]);
}

#[test]
fn a_large_photo_is_published_with_smaller_copies_its_size_and_lazily() {
    let site = site()
        .file(
            "content/incidents/gate.md",
            &incident("![The gate](gate.jpg)\n"),
        )
        .bytes("content/incidents/gate.jpg", &jpeg(2000, 1000));
    let built = site.build().clean();
    let page = "incidents/gate/index.html";
    let html = built.page(page);
    let img = &html::tags(&html, "img")[0];
    assert_eq!(
        img["srcset"],
        "../../incidents/gate-480w.jpg 480w, ../../incidents/gate-960w.jpg 960w, ../../incidents/gate-1600w.jpg 1600w"
    );
    assert_eq!(img["src"], "../../incidents/gate-1600w.jpg");
    assert_eq!(
        (img["width"].as_str(), img["height"].as_str()),
        ("1600", "800")
    );
    assert_eq!(img["loading"], "lazy");
    for (name, width) in [
        ("gate-480w.jpg", 480),
        ("gate-960w.jpg", 960),
        ("gate-1600w.jpg", 1600),
    ] {
        let bytes = std::fs::read(built.output.join("incidents").join(name)).unwrap();
        let copy = image::load_from_memory(&bytes).unwrap();
        assert_eq!(copy.width(), width, "{name}");
    }
    // The same photo gives the same bytes, whatever the thread count.
    let first = crate::harness::snapshot(&built.output);
    drop(built);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let again = pool.install(|| site.build().clean());
    assert_eq!(first, crate::harness::snapshot(&again.output));
}

#[test]
fn a_small_image_is_its_own_only_copy() {
    let built = site()
        .file(
            "content/incidents/gate.md",
            &incident("![The gate](gate.png)\n"),
        )
        .bytes("content/incidents/gate.png", &png(300, 200))
        .build()
        .clean();
    let html = built.page("incidents/gate/index.html");
    let img = &html::tags(&html, "img")[0];
    assert!(!img.contains_key("srcset"), "{img:?}");
    assert_eq!(
        (img["width"].as_str(), img["height"].as_str()),
        ("300", "200")
    );
    assert!(!built.exists("incidents/gate-480w.png"));
}

#[test]
fn gps_and_device_are_removed_from_a_published_photo_unless_kept() {
    let photo = jpeg_with_gps();
    let exif = exif_of(&photo).expect("the test photo carries EXIF");
    assert!(
        exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    );
    let site = site()
        .file(
            "content/incidents/gate.md",
            &incident("![The gate](gate.jpg)\n"),
        )
        .bytes("content/incidents/gate.jpg", &photo)
        .bytes("content/files/kept.jpg", &photo);
    let built = site.build().clean();
    assert!(
        built
            .report()
            .notes
            .contains(&"removed EXIF metadata from content/incidents/gate.jpg".to_string()),
        "{:?}",
        built.report().notes
    );
    for name in [
        "incidents/gate.jpg",
        "incidents/gate-480w.jpg",
        "incidents/gate-960w.jpg",
        "files/kept.jpg",
    ] {
        let published = std::fs::read(built.output.join(name)).unwrap();
        assert!(exif_of(&published).is_none(), "{name} still has EXIF");
        assert!(image::load_from_memory(&published).is_ok(), "{name}");
    }
    drop(built);
    let kept = site
        .file(
            "site.toml",
            &format!(
                "{}[build]\nkeep_metadata = [\"files/kept.jpg\"]\n",
                crate::harness::SITE_TOML
            ),
        )
        .build();
    let published = std::fs::read(kept.output.join("files/kept.jpg")).unwrap();
    assert_eq!(published, photo);
    let exif = exif_of(&published).unwrap();
    assert!(
        exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
            .is_some()
    );
}

#[test]
fn an_attachment_is_listed_with_its_size_and_sha256() {
    let report = b"%PDF-1.4\nA report of 30 bytes.\n";
    let built = site()
        .file(
            "content/incidents/gate.md",
            &incident(
                "Read [the report](@/files/report.pdf) and [it again](/files/report.pdf#page=2).\n",
            ),
        )
        .bytes("content/files/report.pdf", report)
        .build()
        .clean();
    let page = "incidents/gate/index.html";
    let html = built.page(page);
    let section = &html[html.find("class=\"attachments\"").expect("no attachments")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("<li>").count(), 1, "{section}");
    assert!(section.contains("report.pdf</bdi>"), "{section}");
    assert!(section.contains("(1 KB)"), "{section}");
    let sha256 = sha2_hex(report);
    assert!(section.contains(&sha256), "{section}");
    let link = &html::tags(section, "a")[0]["href"];
    assert_eq!(html::resolve(page, link), "files/report.pdf");
    assert!(
        html.contains("href=\"../../files/report.pdf#page=2\""),
        "{html}"
    );
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_figure_needs_no_citation_where_every_paragraph_needs_one() {
    site()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[check]\nsources_without_copy = \"off\"\n",
        )
        .file(
            "content/incidents/gate.md",
            &incident(
                "![The gate](gate.png)\nPhoto: Agency {.credit}\n\n![The wall](gate.png)\n\nThe gate was shut [@report].\n",
            ),
        )
        .bytes("content/incidents/gate.png", &png(40, 30))
        .build()
        .clean();
}

#[test]
fn the_guide_shows_in_both_languages_a_figure_that_builds() {
    for guide in ["content/guide.md", "content/guide.ar.md"] {
        let text = std::fs::read_to_string(crate::harness::repo().join(guide)).unwrap();
        for needle in ["{.credit}", "@/files/", "keep_metadata", "EXIF", "SHA-256"] {
            assert!(text.contains(needle), "{guide} does not say `{needle}`");
        }
        let example = text.split("```markdown\n").nth(1).expect("an example");
        let example = &example[..example.find("```").unwrap()];
        let built = site()
            .file("content/incidents/gate.md", &incident(example))
            .bytes("content/incidents/gate.jpg", &jpeg(600, 400))
            .build()
            .clean();
        let html = built.page("incidents/gate/index.html");
        assert!(html.contains("<figcaption>"), "{guide}: {html}");
        assert!(html.contains("<small class=\"credit\">"), "{guide}: {html}");
    }
}

#[test]
fn serve_answers_an_image_and_its_copies_as_a_build_publishes_them() {
    let site = site()
        .file(
            "content/incidents/gate.md",
            &incident("![The gate](gate.jpg)\n"),
        )
        .bytes("content/incidents/gate.jpg", &jpeg_with_gps())
        .file(
            "site.toml",
            &format!("{}[build]\nsearch = false\n", crate::harness::SITE_TOML),
        );
    let built = site.build().clean();
    let preview = dossier::serve::Preview::load(site.root(), false).unwrap();
    let files = crate::harness::snapshot(&built.output);
    for path in [
        "incidents/gate.jpg",
        "incidents/gate-480w.jpg",
        "incidents/gate-960w.jpg",
    ] {
        let (_, bytes) = files.iter().find(|(p, _)| p == path).unwrap();
        let served = preview.get(path).unwrap().expect(path);
        assert!(*served == *bytes, "serve answers `{path}` with other bytes");
    }
}

#[test]
fn a_file_named_like_a_smaller_copy_of_a_photo_is_an_error() {
    site()
        .file("content/incidents/gate.md", &incident("![The gate](gate.png)\n"))
        .bytes("content/incidents/gate.png", &png(1000, 500))
        .bytes("content/incidents/gate-480w.png", &png(20, 10))
        .build()
        .fails()
        .has(&[
            "`content/incidents/gate-480w.png` has the name of a smaller copy of `content/incidents/gate.png`",
        ]);
}

#[test]
fn a_figure_keeps_its_copies_and_size_where_raw_html_is_sanitized() {
    let built = site()
        .file(
            "site.toml",
            &format!(
                "{}[markdown]\nraw_html = \"sanitize\"\n",
                crate::harness::SITE_TOML
            ),
        )
        .file(
            "content/incidents/gate.md",
            &incident("![The gate](gate.png \"The gate\")\nPhoto: Agency {.credit}\n"),
        )
        .bytes("content/incidents/gate.png", &png(1000, 500))
        .build()
        .clean();
    let html = built.page("incidents/gate/index.html");
    let img = &html::tags(&html, "img")[0];
    for attribute in ["srcset", "sizes", "width", "height", "loading"] {
        assert!(img.contains_key(attribute), "{attribute} dropped: {img:?}");
    }
    assert!(
        html.contains(
            "<figcaption>The gate <small class=\"credit\">Photo: Agency</small></figcaption>"
        ),
        "{html}"
    );
}

#[test]
fn an_archived_copy_is_shown_with_its_size_and_sha256_as_an_attachment_is() {
    let copy = b"%PDF-1.4\nThe archived statement.\n";
    let sha256 = sha2_hex(copy);
    let built = Site::new()
        .file(
            "content/sources/statement.md",
            &format!("---\ntitle: A statement\nkind: ngo-statement\nperspective: An observer.\narchive: {{file: files/statement.pdf, sha256: {sha256}}}\n---\n"),
        )
        .bytes("content/files/statement.pdf", copy)
        .build()
        .clean();
    let page = "sources/statement/index.html";
    let html = built.page(page);
    assert!(
        html.contains(&format!("<code dir=\"ltr\">{sha256}</code>")),
        "{html}"
    );
    assert!(html.contains("(1 KB)"), "{html}");
    let link = html::tags(&html, "a")
        .into_iter()
        .find(|a| a.get("href").is_some_and(|h| h.ends_with("statement.pdf")))
        .expect("a link to the copy");
    assert_eq!(html::resolve(page, &link["href"]), "files/statement.pdf");
}

#[test]
fn a_listed_photo_shows_the_sha256_of_the_file_as_published_without_its_metadata() {
    let photo = jpeg_with_gps();
    let built = site()
        .file(
            "content/incidents/gate.md",
            &incident("![The gate](gate.jpg)\n\nThe [photo at full size](gate.jpg).\n"),
        )
        .bytes("content/incidents/gate.jpg", &photo)
        .build()
        .clean();
    let published = std::fs::read(built.output.join("incidents/gate.jpg")).unwrap();
    assert_ne!(published, photo);
    let html = built.page("incidents/gate/index.html");
    assert!(html.contains(&sha2_hex(&published)), "{html}");
    assert!(!html.contains(&sha2_hex(&photo)), "{html}");
}
