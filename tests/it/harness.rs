//! A fluent harness over a temporary site: write a few files, build, and
//! assert on the output or the diagnostics.
//!
//! Golden files live in `tests/it/golden/`; run with `UPDATE_GOLDEN=1` to
//! rewrite them from the current output, then review the diff.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossier::{Options, Report};
use tempfile::TempDir;

pub const SITE_TOML: &str = "title = \"Test dossier\"\n";

/// A site in a temporary folder. The folder lives as long as the site or
/// any build of it, so a test can chain `Site::new().file(..).build()` and
/// keep reading the output.
pub struct Site {
    dir: Arc<TempDir>,
}

impl Site {
    /// An empty site with `site.toml`, the repository's default theme and a
    /// home page.
    pub fn new() -> Site {
        let dir = tempfile::Builder::new()
            .prefix("dossier-test-")
            .tempdir()
            .unwrap();
        let site = Site { dir: Arc::new(dir) };
        copy_dir(
            &repo().join("themes/default"),
            &site.root().join("themes/default"),
        );
        site.file("site.toml", SITE_TOML)
            .file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    }

    /// A site with one document of each collection, all linked together.
    pub fn linked() -> Site {
        Site::new()
            .file(
                "content/actors/us-marine-corps.md",
                "---\ntitle: US Marine Corps\nkind: armed-force\ncountry: United States\n---\nA branch of the US armed forces.\n",
            )
            .file(
                "content/actors/amnesty.md",
                "---\ntitle: Amnesty International\nkind: ngo\n---\n",
            )
            .file(
                "content/sources/amnesty-2023.md",
                "---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\ndate: 2023-03-20\nperspective: An independent human-rights organisation.\n---\n",
            )
            .file(
                "content/incidents/haditha-2005.md",
                "---\ntitle: Haditha killings\ndate: 2005-11-19\nplace: {name: Haditha, governorate: Anbar}\nperpetrators: [us-marine-corps]\ncasualties: {killed: 24}\nverification: corroborated\nsources: [amnesty-2023]\ntags: [unlawful killing]\n---\nSee [the demand](@/demands/investigate.md).\n",
            )
            .file(
                "content/demands/investigate.md",
                "---\ntitle: Investigate unlawful killings\nkind: investigation\naddressees: [us-marine-corps]\nraised_by: [amnesty]\nstatus: unmet\nsources: [amnesty-2023]\nincidents: [haditha-2005]\nhistory:\n  - {date: 2023-03, status: unmet, note: Still unmet., source: amnesty-2023}\n---\nThe demand.\n",
            )
            .file(
                "content/figures/deaths.md",
                "---\ntitle: Iraqi deaths\nunit: people\nestimates:\n  - {min: 100, max: 200, what: A count, scope: violent deaths, method: count, period: [2003, 2006], source: amnesty-2023}\n---\n",
            )
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, path: &str, text: &str) -> Site {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    pub fn bytes(self, path: &str, bytes: &[u8]) -> Site {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn build(&self) -> Built {
        self.build_with(|_| {})
    }

    pub fn build_with(&self, change: impl FnOnce(&mut Options)) -> Built {
        let mut options = Options {
            root: self.root().to_path_buf(),
            output: None,
            drafts: false,
            write: true,
            base_url: None,
        };
        change(&mut options);
        let output = options.output.clone().unwrap_or_else(|| self.output());
        Built {
            report: dossier::build(&options),
            output,
            _dir: Arc::clone(&self.dir),
        }
    }
}

pub struct Built {
    pub report: anyhow::Result<Report>,
    pub output: PathBuf,
    _dir: Arc<TempDir>,
}

impl Built {
    pub fn report(&self) -> &Report {
        match &self.report {
            Ok(report) => report,
            Err(error) => panic!("the build failed to run: {error:#}"),
        }
    }

    /// Asserts that the build succeeded with no diagnostics at all.
    pub fn clean(self) -> Built {
        let text = self.diagnostics();
        assert!(
            self.report().diagnostics.is_empty(),
            "expected no diagnostics, got:\n{text}"
        );
        self
    }

    /// Asserts that the build failed.
    pub fn fails(self) -> Built {
        assert!(!self.report().succeeded(), "expected the build to fail");
        self
    }

    /// Every diagnostic, as printed (without colour).
    pub fn diagnostics(&self) -> String {
        self.report()
            .diagnostics
            .iter()
            .map(|d| format!("{d}\n"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Asserts that some diagnostic contains every one of `parts`.
    pub fn has(self, parts: &[&str]) -> Built {
        let found = self.report().diagnostics.iter().any(|d| {
            let text = d.to_string();
            parts.iter().all(|p| text.contains(p))
        });
        assert!(
            found,
            "no diagnostic contains all of {parts:?}; got:\n{}",
            self.diagnostics()
        );
        self
    }

    pub fn page(&self, path: &str) -> String {
        let path = self.output.join(path);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.output.join(path).exists()
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Compares `actual` with a golden file, or rewrites it when
/// `UPDATE_GOLDEN` is set.
pub fn golden(name: &str, actual: &str) {
    let path = repo().join("tests/it/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no golden file {}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the output; run with UPDATE_GOLDEN=1 to accept the new output and review the diff.\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

/// Every file under `dir`, relative, with its bytes: for comparing outputs.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}
