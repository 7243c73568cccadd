//! `dossier zim`: the site packed by zimwriterfs, here a stand-in script
//! that records what it was given, so that these tests need no zim-tools.
//! The real zimwriterfs, zimcheck and Kiwix are exercised by
//! `scripts/zim-test.sh`.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use dossier::zim::{ZimOptions, pack};

use crate::harness::Site;

const BILINGUAL: &str = "title = \"Test dossier\"\ndescription = \"A test.\"\n\
    [languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n\
    [check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n";

/// A `zimwriterfs` that writes, as the ZIM file it is given last, its
/// arguments and the files of the folder it is given before that; with
/// `fail`, it writes part of that and exits 3.
fn stand_in(dir: &Path, fail: bool) -> PathBuf {
    let tool = dir.join("zimwriterfs");
    let end = if fail { "exit 3\n" } else { "" };
    fs::write(
        &tool,
        format!(
            "#!/bin/sh\nfor arg; do folder=\"$zim\"; zim=\"$arg\"; done\n\
             {{ printf '%s\\n' \"$@\"; cd \"$folder\" && find . -type f | sort; }} > \"$zim\"\n{end}"
        ),
    )
    .unwrap();
    fs::set_permissions(&tool, fs::Permissions::from_mode(0o755)).unwrap();
    tool
}

/// A folder holding the stand-in `zimwriterfs`, where `dossier.zim` is
/// written.
struct Shelf {
    dir: tempfile::TempDir,
    tool: PathBuf,
    zim: PathBuf,
}

impl Shelf {
    fn new(fail: bool) -> Shelf {
        let dir = tempfile::tempdir().unwrap();
        let tool = stand_in(dir.path(), fail);
        let zim = dir.path().join("dossier.zim");
        Shelf { dir, tool, zim }
    }

    fn pack_into(&self, site: &Path, zim: &Path) -> anyhow::Result<dossier::Report> {
        pack(&ZimOptions {
            root: site.to_path_buf(),
            drafts: false,
            zim: zim.to_path_buf(),
            name: None,
            tool: self.tool.clone(),
        })
    }

    fn pack(&self, site: &Path) -> anyhow::Result<dossier::Report> {
        self.pack_into(site, &self.zim)
    }

    /// What the runs left on the shelf besides the tool and the ZIM.
    fn leftovers(&self) -> Vec<String> {
        others(self.dir.path(), &["dossier.zim", "zimwriterfs"])
    }
}

/// The linked site in English and Arabic, its home page and an incident
/// translated.
fn bilingual() -> Site {
    Site::linked()
        .file("site.toml", BILINGUAL)
        .file("content/_index.ar.md", "---\ntitle: الرئيسية\n---\nأهلًا.\n")
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\n---\nنص.\n",
        )
}

/// What is in `dir` besides `keep`: the temporary folders a run left.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()))
        .collect();
    names.sort();
    names
}

#[test]
fn the_whole_site_is_packed_with_its_metadata_and_the_file_renamed_into_place() {
    let site = bilingual();
    let shelf = Shelf::new(false);
    let report = shelf.pack(site.root()).unwrap();
    assert!(report.succeeded(), "{:?}", report.diagnostics);
    assert_eq!(report.output.as_deref(), Some(shelf.zim.as_path()));
    assert!(report.stages.iter().any(|(stage, _)| *stage == "zim"));
    let packed = fs::read_to_string(&shelf.zim).unwrap();
    let lines: Vec<&str> = packed.lines().collect();
    for expected in [
        "--welcome=index.html",
        "--language=eng,ara",
        "--title=Test dossier",
        "--description=A test.",
        "--creator=Test dossier",
        "--name=test-dossier_mul",
        "--illustration=zim-illustration-48x48.png",
        // Every language's pages and the illustration are in the folder.
        "./index.html",
        "./ar/index.html",
        "./incidents/haditha-2005/index.html",
        "./ar/incidents/haditha-2005/index.html",
        "./zim-illustration-48x48.png",
    ] {
        assert!(lines.contains(&expected), "{expected} not in:\n{packed}");
    }
    // The output's manifest is no page for readers.
    assert!(!packed.contains(".dossier-output"), "{packed}");
    // The temporary folder beside the ZIM is gone, and nothing was written
    // into the site.
    assert_eq!(shelf.leftovers(), Vec::<String>::new());
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_failed_zimwriterfs_leaves_the_earlier_zim_as_it_was() {
    let site = Site::linked();
    let shelf = Shelf::new(true);
    fs::write(&shelf.zim, "the earlier edition").unwrap();
    let error = shelf.pack(site.root()).unwrap_err().to_string();
    assert!(error.contains("zimwriterfs failed"), "{error}");
    assert!(error.contains("is as it was"), "{error}");
    assert_eq!(
        fs::read_to_string(&shelf.zim).unwrap(),
        "the earlier edition"
    );
    assert_eq!(shelf.leftovers(), Vec::<String>::new());
}

#[test]
fn a_failed_zimwriterfs_with_no_earlier_zim_says_none_was_written() {
    let site = Site::linked();
    let shelf = Shelf::new(true);
    let error = shelf.pack(site.root()).unwrap_err().to_string();
    assert!(error.contains("dossier.zim was not written"), "{error}");
    assert!(!shelf.zim.exists());
    assert_eq!(shelf.leftovers(), Vec::<String>::new());
}

#[test]
fn a_site_with_errors_is_not_packed_and_nothing_is_written() {
    let site = Site::linked().file(
        "content/incidents/broken.md",
        "---\ntitle: Broken\ndate: 2005-11-19\nperpetrators: [nobody-known]\n---\n",
    );
    let shelf = Shelf::new(false);
    let report = shelf.pack(site.root()).unwrap();
    assert!(!report.succeeded());
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nobody-known"))
    );
    assert_eq!(report.output, None);
    assert!(!shelf.zim.exists());
    assert_eq!(shelf.leftovers(), Vec::<String>::new());
}

#[test]
fn a_zim_in_the_site_folder_leaves_no_temporary_folder_there() {
    let site = Site::linked();
    let shelf = Shelf::new(false);
    let before = others(site.root(), &[]);
    let report = shelf
        .pack_into(site.root(), &site.root().join("dossier.zim"))
        .unwrap();
    assert!(report.succeeded(), "{:?}", report.diagnostics);
    let mut expected = before;
    expected.push("dossier.zim".to_string());
    expected.sort();
    assert_eq!(others(site.root(), &[]), expected);
}

#[test]
fn dossier_zim_without_zimwriterfs_says_what_to_install_and_writes_nothing() {
    let site = Site::linked();
    let nowhere = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("zim")
        .arg(site.root().join("dossier.zim"))
        .arg("--root")
        .arg(site.root())
        .env("PATH", nowhere.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("`zimwriterfs` was not found on PATH"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sudo apt-get install zim-tools"),
        "{stderr}"
    );
    assert!(!site.root().join("dossier.zim").exists());
    assert!(!site.root().join("public").exists());
}

#[test]
fn the_search_page_sends_kiwix_readers_to_kiwix_search_in_every_language() {
    let built = bilingual().build().clean();
    for page in ["search/index.html", "ar/search/index.html"] {
        let html = built.page(page);
        let unavailable = html
            .split("id=\"search-unavailable\"")
            .nth(1)
            .and_then(|rest| rest.split("</p>").next())
            .unwrap_or_else(|| panic!("no unavailable message in {page}"));
        assert!(unavailable.contains("Kiwix"), "{page}: {unavailable}");
        // Shown for every scheme but http(s): Kiwix's apps have their own.
        assert!(
            html.contains(r#"location.protocol === "http:" || location.protocol === "https:""#),
            "{page}"
        );
        assert!(!html.contains(r#"location.protocol === "file:""#), "{page}");
    }
}
