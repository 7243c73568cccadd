//! Diagnostics found after parsing point at the field they are about, as
//! recorded when the front matter (or `site.toml`) was read: a field's name
//! or value written earlier in the file, in another field, does not catch
//! the caret.

use crate::harness::{SITE_TOML, Site};

#[test]
fn a_warning_about_an_incident_points_at_its_title_not_at_the_word_title_in_its_summary() {
    Site::new()
        .file(
            "content/incidents/i.md",
            "---\nsummary: Its title is disputed.\ntitle: I\ndate: 2005\n---\n",
        )
        .build()
        .has(&["this incident has no source", "content/incidents/i.md:3:1"]);
}

#[test]
fn a_source_warning_points_at_the_title_key_not_at_a_subtitle() {
    Site::new()
        .file(
            "content/sources/s.md",
            "---\nkind: press\nextra: {subtitle: A}\ntitle: S\n---\n",
        )
        .build()
        .has(&[
            "this source has no `perspective` note",
            "content/sources/s.md:4:1",
        ]);
}

#[test]
fn an_archive_mismatch_points_at_the_sha256_of_the_archive_not_at_the_same_text_earlier() {
    let wrong = "0".repeat(64);
    Site::linked()
        .bytes("content/files/report.pdf", b"%PDF-1.4")
        .file(
            "content/sources/report.md",
            &format!(
                "---\ntitle: Report\nsummary: Read files/report.pdf, checksum {wrong}.\nkind: ngo-report\nperspective: An NGO.\narchive: {{file: files/report.pdf, sha256: {wrong}}}\n---\n"
            ),
        )
        .build()
        .fails()
        .has(&[
            "does not match its `sha256`",
            // Column 43: the hash inside `archive`, after `sha256: `.
            "content/sources/report.md:6:43",
        ]);
}

#[test]
fn a_missing_archived_copy_points_at_its_file_not_at_its_name_in_the_summary() {
    Site::linked()
        .file(
            "content/sources/report.md",
            "---\ntitle: Report\nsummary: Once at files/gone.pdf.\nkind: ngo-report\nperspective: An NGO.\narchive:\n  url: https://example.org/files/gone.pdf\n  file: files/gone.pdf\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "the archived copy `files/gone.pdf` does not exist",
            "content/sources/report.md:8:9",
        ]);
}

#[test]
fn an_unknown_governorate_points_at_the_governorate_not_at_the_same_name_in_the_place_name() {
    Site::linked()
        .file(
            "content/incidents/far.md",
            "---\ntitle: Far\ndate: 2005\nplace: {name: The governorate of Atlantis, governorate: Atlantis}\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "`Atlantis` is not one of the 18 governorates of Iraq",
            "content/incidents/far.md:4:57",
        ]);
}

#[test]
fn a_stale_translation_points_at_its_recorded_hash_not_at_the_words_in_its_summary() {
    let site_toml = format!(
        "{SITE_TOML}[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"Arabic\"\n"
    );
    Site::linked()
        .file("site.toml", &site_toml)
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\nsummary: \"from_hash: 0000000000000000\"\ntitle: حديثة\ntranslated: {by: Lina, from_hash: 0000000000000000}\n---\nنص.\n",
        )
        .build()
        .has(&[
            "changed after",
            "content/incidents/haditha-2005.ar.md:4:35",
        ]);
}

#[test]
fn a_bad_default_language_points_at_the_setting_not_at_its_name_in_the_title() {
    Site::new()
        .file(
            "site.toml",
            "title = \"Our default_language\"\ndefault_language = \"EN\"\n",
        )
        .build()
        .fails()
        .has(&["`EN` is not a language code", "site.toml:2:21"]);
}

#[test]
fn a_bad_language_code_points_at_its_table_not_at_the_same_word_in_the_title() {
    Site::new()
        .file(
            "site.toml",
            "title = \"Arabic\"\n[languages.Arabic]\nname = \"Arabic\"\n",
        )
        .build()
        .fails()
        .has(&["`Arabic` is not a language code", "site.toml:2:12"]);
}

#[test]
fn a_bad_citation_style_and_base_url_point_at_their_settings() {
    Site::new()
        .file(
            "site.toml",
            "title = \"nonsense-style javascript:x\"\nbase_url = \"javascript:x\"\n[cite]\nstyle = \"nonsense-style\"\n",
        )
        .build()
        .fails()
        .has(&["is not a citation style", "site.toml:4:10"])
        .has(&["site.toml:2:13"]);
}
