//! A fluent harness over a temporary site: write a few files, build, and
//! assert on the output or the diagnostics.
//!
//! Golden files live in `tests/it/golden/`; run with `UPDATE_GOLDEN=1` to
//! rewrite them from the current output, then review the diff.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossier::{Options, Report};
use tempfile::TempDir;

/// The settings of a test site. The sourcing check is off, so that a
/// test about something else need not cite every paragraph it writes;
/// `citations` tests turn it on.
pub const SITE_TOML: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n";

/// A site in a temporary folder. The folder lives as long as the site or
/// any build of it, so a test can chain `Site::new().file(..).build()` and
/// keep reading the output.
pub struct Site {
    dir: Arc<TempDir>,
}

impl Site {
    /// An empty site with `site.toml`, the repository's default theme, the
    /// map of Iraq (as `dossier init --country IQ` writes it) and a home page.
    pub fn new() -> Site {
        report_every_panic();
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
            .file("data/geography.json", &iraq())
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
            drafts: false,
            mode: dossier::Mode::Publish { output: None },
            base_url: None,
            sign: None,
            strict: false,
        };
        change(&mut options);
        let output = match &options.mode {
            dossier::Mode::Publish {
                output: Some(output),
            } => output.clone(),
            _ => self.output(),
        };
        Built {
            report: dossier::build(&options),
            output,
            expects_errors: false,
            matched: RefCell::new(BTreeSet::new()),
            _dir: Arc::clone(&self.dir),
        }
    }
}

pub struct Built {
    pub report: anyhow::Result<Report>,
    pub output: PathBuf,
    /// Set by `fails`: every error must then be matched by some `has`.
    expects_errors: bool,
    /// Indexes of the diagnostics some `has` matched.
    matched: RefCell<BTreeSet<usize>>,
    _dir: Arc<TempDir>,
}

impl Drop for Built {
    /// A failed build whose test named fewer errors than it had: the extra
    /// ones are mistakes the test did not expect.
    fn drop(&mut self) {
        if !self.expects_errors || std::thread::panicking() {
            return;
        }
        let Ok(report) = &self.report else { return };
        let matched = self.matched.borrow();
        let extra: Vec<String> = report
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(i, d)| d.is_error() && !matched.contains(i))
            .map(|(_, d)| d.to_string())
            .collect();
        assert!(
            extra.is_empty(),
            "the build failed with {} error(s) no `has` expected:\n{}",
            extra.len(),
            extra.join("\n")
        );
    }
}

impl Built {
    #[track_caller]
    pub fn report(&self) -> &Report {
        match &self.report {
            Ok(report) => report,
            Err(error) => panic!("the build failed to run: {error:#}"),
        }
    }

    /// Asserts that the build succeeded with no diagnostics at all.
    #[track_caller]
    pub fn clean(self) -> Built {
        let text = self.diagnostics();
        assert!(
            self.report().diagnostics.is_empty(),
            "expected no diagnostics, got:\n{text}"
        );
        self
    }

    /// Asserts that the build failed. Every error must then be matched by a
    /// `has` before the result is dropped, or the test fails naming the
    /// errors left over.
    #[track_caller]
    pub fn fails(mut self) -> Built {
        assert!(!self.report().succeeded(), "expected the build to fail");
        self.expects_errors = true;
        self
    }

    /// Asserts that the build failed with exactly `errors` errors: for
    /// tests that check every one of them another way (a golden file).
    #[track_caller]
    pub fn fails_with(self, errors: usize) -> Built {
        assert!(!self.report().succeeded(), "expected the build to fail");
        assert_eq!(self.report().errors(), errors, "{}", self.diagnostics());
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

    /// Asserts that some diagnostic contains every one of `parts`; all that
    /// do count as expected.
    #[track_caller]
    pub fn has(self, parts: &[&str]) -> Built {
        let found: Vec<usize> = self
            .report()
            .diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                let text = d.to_string();
                parts.iter().all(|p| text.contains(p))
            })
            .map(|(i, _)| i)
            .collect();
        self.matched.borrow_mut().extend(&found);
        assert!(
            !found.is_empty(),
            "no diagnostic contains all of {parts:?}; got:\n{}",
            self.diagnostics()
        );
        self
    }

    #[track_caller]
    pub fn page(&self, path: &str) -> String {
        let path = self.output.join(path);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.output.join(path).exists()
    }
}

/// The first row of a CSV export, by column name.
/// Panics in the build's worker threads are reported on the process's
/// own standard error. The test harness captures what a thread prints
/// into the buffer of the test that started it, so a panic in a worker
/// that an earlier test started would fail this test without a word.
fn report_every_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            use std::io::Write as _;
            let thread = std::thread::current();
            let message = format!(
                "panic in thread {}: {info}\n{}\n",
                thread.name().unwrap_or("unnamed"),
                std::backtrace::Backtrace::force_capture()
            );
            let _ = std::io::stderr().write_all(message.as_bytes());
            default(info);
        }));
    });
}

pub fn first_csv_row(text: &str) -> std::collections::BTreeMap<String, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    headers
        .iter()
        .zip(&row)
        .map(|(name, cell)| (name.to_string(), cell.to_string()))
        .collect()
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
#[track_caller]
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
/// What is beside an output folder named `name` in `root` besides the
/// output itself and its lock: what builds left.
pub fn leftovers(root: &Path, name: &str) -> Vec<String> {
    fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}")) && *n != format!(".{name}.lock"))
        .collect()
}

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

/// Runs `dossier ARGS --root ROOT`: whether it succeeded, and what it
/// printed on standard error.
pub fn run_dossier(root: &Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The shipped dossier, built once for the whole test run (building it is
/// the slowest step of the suite): the report and the output folder. Tests
/// read it and never change it.
pub fn shipped() -> &'static (Report, PathBuf) {
    static BUILT: std::sync::OnceLock<(tempfile::TempDir, (Report, PathBuf))> =
        std::sync::OnceLock::new();
    let (_, built) = BUILT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let output = out.path().join("public");
        let report = dossier::build(&Options {
            root: repo(),
            mode: dossier::Mode::Publish {
                output: Some(output.clone()),
            },
            drafts: false,
            base_url: None,
            sign: None,
            strict: false,
        })
        .unwrap();
        (out, (report, output))
    });
    built
}

/// The geography file of Iraq, as `dossier geography IQ` writes it.
pub fn iraq() -> String {
    let iraq = dossier::geography::country("IQ").expect("Iraq is a country");
    dossier::geography::file_for(&[iraq])
}
