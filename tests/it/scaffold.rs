//! `dossier init` and `dossier new`, through the binary as a user runs them.

use std::path::PathBuf;
use std::process::Command;

fn dossier() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
}

#[test]
fn init_creates_a_dossier_that_builds_at_once_and_new_adds_documents_that_build_once_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let status = dossier().arg("init").arg(&site).status().unwrap();
    assert!(status.success());
    assert!(site.join("README.md").is_file());
    assert!(site.join("themes/default/templates/base.html").is_file());
    let build = dossier()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(String::from_utf8_lossy(&build.stderr).contains("0 errors, 0 warnings"));
    assert!(
        site.join("public/incidents/example-incident/index.html")
            .is_file()
    );

    for collection in ["demands", "incidents", "actors", "sources", "figures"] {
        let new = dossier()
            .args(["new", collection, "Nisour Square 2007", "--root"])
            .arg(&site)
            .output()
            .unwrap();
        assert!(
            new.status.success(),
            "{}",
            String::from_utf8_lossy(&new.stderr)
        );
        let path = site.join(format!("content/{collection}/nisour-square-2007.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("title: \"Nisour Square 2007\""));
        std::fs::write(&path, crate::safety::filled_in(&text)).unwrap();
    }
    let build = dossier()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert!(stderr.contains("0 errors"), "{stderr}");

    // It never overwrites.
    let again = dossier()
        .args(["new", "incidents", "Nisour Square 2007", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    // A title with no Latin letters asks for a slug.
    let arabic = dossier()
        .args(["new", "incidents", "مجزرة حديثة", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&arabic.stderr).contains("--slug"));
    let with_slug = dossier()
        .args([
            "new",
            "incidents",
            "مجزرة حديثة",
            "--slug",
            "haditha-ar",
            "--root",
        ])
        .arg(&site)
        .output()
        .unwrap();
    assert!(with_slug.status.success());
    // init refuses a folder that holds files.
    let refused = dossier().arg("init").arg(&site).output().unwrap();
    assert!(!refused.status.success());
}

/// Runs `dossier init TEMP/mysite ARGS`; returns the temporary folder,
/// the site's folder and what the command printed.
pub(crate) fn try_init(args: &[&str]) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let out = dossier()
        .arg("init")
        .arg(&site)
        .args(args)
        .output()
        .unwrap();
    (dir, site, out)
}

/// A new dossier made by `dossier init ARGS` in a temporary folder.
fn init_with(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (dir, site, out) = try_init(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    (dir, site)
}

/// A new dossier made by `dossier init` in a temporary folder.
pub fn init() -> (tempfile::TempDir, PathBuf) {
    init_with(&[])
}

/// Runs `dossier ARGS --root SITE` with no input; returns whether it
/// succeeded and what it printed on stderr.
pub(crate) fn run_in(site: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = dossier()
        .args(args)
        .arg("--root")
        .arg(site)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn new_takes_the_singular_asks_nothing_and_says_what_to_do_next() {
    let (_dir, site) = init();
    let (ok, stderr) = run_in(&site, &["new", "incident", "Nisour Square 2007"]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("wrote content/incidents/nisour-square-2007.md"),
        "{stderr}"
    );
    assert!(stderr.contains("dossier serve"), "{stderr}");
    assert!(
        site.join("content/incidents/nisour-square-2007.md")
            .is_file()
    );
}

#[test]
fn version_names_the_content_format() {
    let out = dossier().arg("--version").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
    assert!(stdout.contains(dossier::export::FORMAT), "{stdout}");
}

#[test]
fn build_base_url_replaces_the_one_in_site_toml_for_absolute_urls_only() {
    let (_dir, site) = init();
    let (ok, stderr) = run_in(
        &site,
        &["build", "--base-url", "https://preview.example.org/pr-7/"],
    );
    assert!(ok, "{stderr}");
    let sitemap = std::fs::read_to_string(site.join("public/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://preview.example.org/pr-7/incidents/example-incident/</loc>"),
        "{sitemap}"
    );
    let page =
        std::fs::read_to_string(site.join("public/incidents/example-incident/index.html")).unwrap();
    assert!(
        !page.contains("href=\"https://preview.example.org"),
        "links stay relative"
    );
    let (ok, stderr) = run_in(&site, &["build", "--base-url", "preview.example.org"]);
    assert!(!ok);
    assert!(stderr.contains("https://example.org/dossier/"), "{stderr}");
}

#[test]
fn init_and_new_refuse_titles_with_control_characters_that_no_file_could_hold() {
    // DEL and the C1 range pass JSON-style quoting unescaped, and neither
    // YAML nor TOML reads them: the files written would not parse.
    for title in [
        "Haditha\u{7f}2005",
        "Haditha\u{85}2005",
        "Haditha\u{9b}2005",
    ] {
        let (_dir, site, out) = try_init(&["--title", title]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{title:?}");
        assert!(stderr.contains("control character U+"), "{stderr}");
        assert!(!site.exists(), "nothing is written");
    }
    let (_dir, site) = init();
    let (ok, stderr) = run_in(&site, &["new", "incidents", "Haditha\u{7f}2005"]);
    assert!(!ok);
    assert!(stderr.contains("control character U+007F"), "{stderr}");
    assert!(!site.join("content/incidents/haditha-2005.md").exists());
}

/// `dossier init` with a paragraph that cites nothing: a warning, no error.
fn init_with_a_warning() -> (tempfile::TempDir, PathBuf) {
    let (dir, site) = init();
    let incident = site.join("content/incidents/example-incident.md");
    let text = std::fs::read_to_string(&incident).unwrap();
    std::fs::write(
        &incident,
        format!("{text}\nA paragraph that cites nothing.\n"),
    )
    .unwrap();
    (dir, site)
}

#[test]
fn check_strict_fails_on_warnings_and_site_toml_can_ask_for_it() {
    let (_dir, site) = init();
    let (ok, stderr) = run_in(&site, &["check", "--strict"]);
    assert!(ok, "a new dossier has no warnings: {stderr}");

    let (_dir, site) = init_with_a_warning();
    let (ok, stderr) = run_in(&site, &["check"]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");
    let (ok, stderr) = run_in(&site, &["check", "--strict"]);
    assert!(!ok);
    assert!(stderr.contains("warnings fail it as errors do"), "{stderr}");

    let settings = site.join("site.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}\n[check]\nstrict = true\n")).unwrap();
    let (ok, stderr) = run_in(&site, &["check"]);
    assert!(!ok, "{stderr}");
    let (ok, stderr) = run_in(&site, &["build"]);
    assert!(!ok, "a strict site's build fails on warnings too: {stderr}");
}

/// A new dossier for `host`.
fn init_for(host: &str) -> (tempfile::TempDir, PathBuf) {
    init_with(&["--host", host])
}

fn read(site: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The address of this version's Linux release archive.
fn release_url() -> String {
    format!(
        "{}/releases/download/v{}/dossier-x86_64-unknown-linux-gnu.tar.xz",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION")
    )
}

#[test]
fn init_writes_what_each_host_needs_to_publish() {
    let expected: [(&str, &[&str]); 5] = [
        ("github", &[".github/workflows/publish.yml"]),
        ("gitlab", &[".gitlab-ci.yml", "deploy.sh"]),
        ("netlify", &["netlify.toml", "deploy.sh"]),
        ("cloudflare", &["deploy.sh"]),
        ("none", &[]),
    ];
    let all = [".github", ".gitlab-ci.yml", "netlify.toml", "deploy.sh"];
    for (host, files) in expected {
        let (_dir, site) = init_for(host);
        for name in all {
            let wanted = files.iter().any(|f| f.starts_with(name));
            assert_eq!(site.join(name).exists(), wanted, "{host}: {name}");
        }
        for file in files {
            let text = read(&site, file);
            if file.ends_with(".yml") {
                serde_yaml::from_str::<serde_yaml::Value>(&text)
                    .unwrap_or_else(|e| panic!("{host}: {file}: {e}"));
            }
            if file.ends_with(".toml") {
                toml::from_str::<toml::Table>(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            }
        }
        if host != "none" {
            let installer = read(&site, files[files.len() - 1]);
            assert!(installer.contains("sha256sum --check"), "{host}");
            assert!(installer.contains("dossier check --strict"), "{host}");
            assert!(installer.contains("--base-url"), "{host}");
            // Each page's history needs every commit: hosts that clone
            // only the last ones fetch the rest first.
            if host != "github" {
                assert!(
                    installer.contains("--is-shallow-repository")
                        && installer.contains("git fetch --quiet --unshallow"),
                    "{host}: {installer}"
                );
            }
        }
    }
    // The default is GitHub, whose workflow publishes with the Pages actions.
    let (_dir, site) = init();
    let workflow = read(&site, ".github/workflows/publish.yml");
    for part in [
        "fetch-depth: 0",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "steps.pages.outputs.base_url",
    ] {
        assert!(workflow.contains(part), "{part}");
    }
    let gitlab = init_for("gitlab");
    assert!(read(&gitlab.1, ".gitlab-ci.yml").contains("paths: [public]"));
    assert!(read(&gitlab.1, ".gitlab-ci.yml").contains("GIT_DEPTH: 0"));
    assert!(read(&gitlab.1, "deploy.sh").contains("${CI_PAGES_URL%/}"));
    let netlify = init_for("netlify");
    assert!(read(&netlify.1, "netlify.toml").contains("publish = \"public\""));
    assert!(read(&netlify.1, "deploy.sh").contains("${DEPLOY_PRIME_URL%/}"));
    let cloudflare = init_for("cloudflare");
    assert!(read(&cloudflare.1, "deploy.sh").contains("${CF_PAGES_URL%/}"));

    let out = dossier()
        .args(["init", "x", "--host", "heroku"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

/// A stand-in for the release server: a folder of programs to put first
/// on PATH whose `curl` copies each `-O URL` from a local release made of
/// a `dossier` that runs this test's binary, and logs the URLs asked for.
/// Returns that folder and the log.
fn local_release(dir: &std::path::Path) -> (PathBuf, PathBuf) {
    let name = "dossier-x86_64-unknown-linux-gnu";
    let release = dir.join("release");
    std::fs::create_dir_all(release.join(name)).unwrap();
    let binary = release.join(name).join("dossier");
    std::fs::write(
        &binary,
        format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_dossier")
        ),
    )
    .unwrap();
    run_shell(
        &format!(
            "chmod +x {name}/dossier && tar -cJf {name}.tar.xz {name} && sha256sum {name}.tar.xz > {name}.tar.xz.sha256"
        ),
        &release,
    );
    let programs = dir.join("programs");
    std::fs::create_dir_all(&programs).unwrap();
    let log = dir.join("urls.log");
    let curl = programs.join("curl");
    std::fs::write(
        &curl,
        format!(
            "#!/bin/sh\n# Copies each -O URL from the local release.\nfor arg in \"$@\"; do\n  case \"$arg\" in\n    https://*) echo \"$arg\" >> '{log}'; cp '{release}'/\"${{arg##*/}}\" . ;;\n  esac\ndone\n",
            log = log.display(),
            release = release.display()
        ),
    )
    .unwrap();
    run_shell(&format!("chmod +x '{}'", curl.display()), dir);
    (programs, log)
}

fn run_shell(script: &str, dir: &std::path::Path) {
    let status = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "{script}");
}

/// Runs `script` with bash as GitHub Actions does (`-e -o pipefail`), in
/// `site`, with only `env` and a PATH of `path`; returns whether it
/// succeeded and what it printed.
fn run_step(
    script: &str,
    site: &std::path::Path,
    path: &str,
    env: &[(String, String)],
) -> (bool, String) {
    let out = Command::new("/bin/bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(site)
        .env_clear()
        .env("PATH", path)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), printed)
}

#[test]
fn the_github_workflow_installs_the_release_checks_and_builds_for_the_pages_address() {
    let (dir, site) = init_for("github");
    let (programs, log) = local_release(dir.path());
    let runner_temp = dir.path().join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let github_path = dir.path().join("github-path");
    std::fs::write(&github_path, "").unwrap();

    let workflow: serde_yaml::Value =
        serde_yaml::from_str(&read(&site, ".github/workflows/publish.yml")).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let pages_address = "https://example.github.io/mysite";
    let mut ran = Vec::new();
    for step in steps {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        // Each step sees the PATH the earlier ones added to, as on GitHub.
        let added: Vec<String> = std::fs::read_to_string(&github_path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let path = [
            added.join(":"),
            programs.display().to_string(),
            "/usr/bin:/bin".to_string(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(":");
        let mut env = vec![
            ("RUNNER_TEMP".to_string(), runner_temp.display().to_string()),
            ("GITHUB_PATH".to_string(), github_path.display().to_string()),
        ];
        if let Some(vars) = step["env"].as_mapping() {
            for (key, value) in vars {
                let value = value
                    .as_str()
                    .unwrap()
                    .replace("${{ steps.pages.outputs.base_url }}", pages_address);
                assert!(!value.contains("${{"), "{value}");
                env.push((key.as_str().unwrap().to_string(), value));
            }
        }
        let (ok, printed) = run_step(script, &site, &path, &env);
        assert!(ok, "step {:?} failed:\n{printed}", step["name"]);
        ran.push((step["name"].as_str().unwrap_or("").to_string(), printed));
    }
    assert_eq!(ran.len(), 3, "install, check, build");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap().trim().lines().next(),
        Some(release_url().as_str())
    );
    assert!(ran[1].1.contains("0 errors, 0 warnings"), "{}", ran[1].1);
    assert!(ran[2].1.contains("0 errors, 0 warnings"), "{}", ran[2].1);
    let sitemap = read(&site, "public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.github.io/mysite/incidents/example-incident/</loc>"),
        "{sitemap}"
    );
    // What upload-pages-artifact publishes.
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
}

#[test]
fn deploy_sh_installs_the_release_checks_and_builds_for_each_hosts_address() {
    // The host, its build's variables, and the address it builds for.
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 4] = [
        (
            "gitlab",
            &[("CI_PAGES_URL", "https://ngo.gitlab.io/mysite")],
            "https://ngo.gitlab.io/mysite/",
        ),
        (
            "netlify",
            &[
                ("CONTEXT", "deploy-preview"),
                ("URL", "https://mysite.org"),
                (
                    "DEPLOY_PRIME_URL",
                    "https://deploy-preview-7--mysite.netlify.app",
                ),
            ],
            "https://deploy-preview-7--mysite.netlify.app/",
        ),
        (
            "netlify",
            &[
                ("CONTEXT", "production"),
                ("URL", "https://mysite.org"),
                ("DEPLOY_PRIME_URL", "https://main--mysite.netlify.app"),
            ],
            "https://mysite.org/",
        ),
        (
            "cloudflare",
            &[
                ("CF_PAGES_BRANCH", "fix-typo"),
                ("CF_PAGES_URL", "https://fix-typo.mysite.pages.dev"),
            ],
            "https://fix-typo.mysite.pages.dev/",
        ),
    ];
    for (host, vars, address) in cases {
        let (dir, site) = init_for(host);
        let (programs, log) = local_release(dir.path());
        let mut env: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        env.push(("TMPDIR".to_string(), dir.path().display().to_string()));
        let path = format!("{}:/usr/bin:/bin", programs.display());
        let (ok, printed) = run_step("sh deploy.sh", &site, &path, &env);
        assert!(ok, "{host}: {printed}");
        assert_eq!(
            printed.matches("0 errors, 0 warnings").count(),
            2,
            "{host}: {printed}"
        );
        assert!(
            std::fs::read_to_string(&log)
                .unwrap()
                .contains(&release_url())
        );
        let sitemap = read(&site, "public/sitemap.xml");
        assert!(
            sitemap.contains(&format!("<loc>{address}incidents/example-incident/</loc>")),
            "{host}: {sitemap}"
        );
    }
}

#[test]
fn the_annotated_site_toml_in_the_docs_is_a_site_toml_the_build_accepts() {
    let path = crate::harness::repo().join("docs/site-toml.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let example = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("docs/site-toml.md has a ```toml block");
    let config = dossier::config::Config::parse(&path, example)
        .unwrap_or_else(|problems| panic!("{problems:?}"));
    assert!(!config.check.strict, "it shows the defaults");
    // It names every table of the settings.
    for table in [
        "[languages.",
        "[build]",
        "[markdown]",
        "[cms]",
        "[check]",
        "[sign]",
        "[cite]",
        "[extra]",
    ] {
        assert!(example.contains(table), "{table}");
    }
}

#[test]
fn the_shipped_dossier_states_the_licence_of_its_text_and_data_and_leaves_sources_to_their_owners()
{
    let root = crate::harness::repo();
    let cc_by = "https://creativecommons.org/licenses/by/4.0/";
    for (file, owners) in [
        (
            "content/about.md",
            "property of their authors and publishers",
        ),
        ("content/about.ar.md", "ملكًا لمؤلفيها وناشريها"),
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(text.contains(cc_by) && text.contains("CC BY 4.0"), "{file}");
        assert!(text.contains(owners), "{file}");
    }
    // Copied by every build into data/, beside the exports.
    let data = std::fs::read_to_string(root.join("static/data/LICENSE.txt")).unwrap();
    assert!(data.contains("CC BY 4.0") && data.contains(cc_by));
    for code in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(root.join(code).is_file(), "{code}");
    }
}
