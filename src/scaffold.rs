//! Starting points: the text of a new document (`dossier new`) and of a new
//! dossier (`dossier init`).
//!
//! Everything here is pure: it returns file contents, and the command that
//! asked writes them. The field comments are made from the model's own
//! lists of allowed words, so they cannot drift from what the build accepts.

use crate::model::{
    ActorKind, Collection, DemandKind, Method, SourceKind, Status, Step, Verification,
};
use crate::slug::slugify;

fn words(list: &[&str]) -> String {
    list.join(" | ")
}

/// Why `title` cannot be written into a new file, or `None` when it can.
/// A control character (a line break, DEL, the C1 range) would make the
/// YAML or TOML it is written into unreadable, so it is refused before
/// anything is written.
pub fn title_problem(title: &str) -> Option<String> {
    let c = title.chars().find(|c| c.is_control())?;
    Some(format!(
        "the title holds the control character U+{:04X}, which no file can hold as it is; type the title again without it",
        u32::from(c)
    ))
}

/// YAML for a double-quoted string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// The slug `dossier new` gives a title, or `None` when the title has no
/// Latin letters or digits to make one from.
pub fn slug_for(title: &str) -> Option<String> {
    let slug = slugify(title);
    (!slug.is_empty()).then_some(slug)
}

/// The body `dossier new` writes: what belongs there. It is an error until
/// replaced (`checks`), so a document started and forgotten never
/// publishes its instructions.
pub const PLACEHOLDER_BODY: &str = "Write the text here. End each paragraph with a citation of its source and the place in it, for example `[@SLUG, para. 6]`, or with `{.editorial}` when it is the editors' own text. Link to other documents by their file, for example `[the report](@/sources/SLUG.md)`.";

/// What `dossier new` writes for a date only the editor knows (when it
/// happened, was raised, was published). It is no date, so the build
/// refuses it at its line until it is replaced: a date is never guessed.
pub const PLACEHOLDER_DATE: &str = "YYYY-MM-DD";

/// The place `dossier new` writes into a new incident: one with no name,
/// which is an error until it is named (`checks`).
pub const PLACEHOLDER_PLACE: &str = "place: {name: \"\"}";

/// A new document of `collection` with every field of the collection, each
/// with a comment giving its allowed values. What only the editor can
/// know (its dates, the place, the text) is left as a placeholder that the
/// build refuses until it is replaced.
pub fn document(collection: Collection, title: &str) -> String {
    let mut out = String::from("---\n");
    let mut field = |line: &str, comment: &str| {
        out.push_str(&format!("{line:<36} # {comment}\n"));
    };
    field(&format!("title: {}", quoted(title)), "required");
    field("summary: \"\"", "one or two sentences, shown in lists");
    match collection {
        Collection::Demands => {
            field(
                &format!("kind: {}", DemandKind::WORDS[0]),
                &words(DemandKind::WORDS),
            );
            field("addressees: []", "actor slugs: of whom the demand is made");
            field("raised_by: []", "actor slugs: who makes it");
            field(
                &format!("first_raised: {PLACEHOLDER_DATE}"),
                "2005, 2005-11 or 2005-11-19: as precise as the source",
            );
            field(
                &format!("status: {}", Status::WORDS[0]),
                &words(Status::WORDS),
            );
            field(
                "sources: []",
                "source slugs, or {source: SLUG, locator: \"para. 6\", quote: \"...\"}",
            );
            field("incidents: []", "incident slugs");
            field(
                "history: []",
                &format!(
                    "- {{date, status, note, source}}; status: {}",
                    words(Status::WORDS)
                ),
            );
            field(
                "# reviewed:",
                "when you last checked the status (same form as first_raised): shown as \"status as of\"",
            );
        }
        Collection::Incidents => {
            field(
                &format!("date: {PLACEHOLDER_DATE}"),
                "when it happened: 2005, 2005-11 or 2005-11-19, as precise as the source",
            );
            field("# end_date:", "for events that lasted: same form as date");
            field(
                PLACEHOLDER_PLACE,
                "required: the town, village or site; {name, region, lat, lon, source}; without source, shown as located by the editors",
            );
            field(
                "perpetrators: [unknown]",
                "actor slugs, or [unknown] when the sources do not say",
            );
            field("verification: single-source", &words(Verification::WORDS));
            field(
                "casualties: {}",
                "killed, injured, detained: 24, {min: 12, max: 18}, {min: 40} (at least), {max: 27} (up to), {about: 650}",
            );
            field("victims: \"\"", "who they were, in a few words");
            field(
                "sources: []",
                "source slugs or {source, locator, quote}: at least one",
            );
            field("demands: []", "demand slugs");
            field(
                "accountability: []",
                &format!(
                    "- {{date, step, note, source}}; step: {}",
                    words(Step::WORDS)
                ),
            );
        }
        Collection::Actors => {
            field(
                &format!("kind: {}", ActorKind::WORDS[0]),
                &words(ActorKind::WORDS),
            );
            field("country: \"\"", "");
            field("# part_of:", "an actor slug: the body this one belongs to");
        }
        Collection::Sources => {
            field(
                &format!("kind: {}", SourceKind::WORDS[0]),
                &words(SourceKind::WORDS),
            );
            field("# publisher:", "an actor slug");
            field("authors: []", "names, as written in the source");
            field(
                &format!("date: {PLACEHOLDER_DATE}"),
                "when it was published: 2005, 2005-11 or 2005-11-19",
            );
            field("# url:", "the address of the original, only if you have it");
            field(
                "# archive: {file: files/NAME.pdf, sha256: HASH}",
                "a copy under content/files/; sha256sum gives the hash",
            );
            field("# accessed:", "when you read the copy you cite: 2005-11-19");
            field("# language: en", "the language of that copy");
            field(
                "# copy:",
                "what was read: \"machine translation of the original\", \"press release, not the full report\"; required without url or archive",
            );
            field(
                "# via:",
                "a source slug, when the text reached you through it",
            );
            field(
                "perspective: \"\"",
                "required: one neutral sentence on where the source stands",
            );
        }
        Collection::Figures => {
            field("unit: people", "what is counted");
            field(
                "estimates: []",
                &format!(
                    "- {{min, max (or about, or wording), what, scope, method, period: [from, to], source}}; method: {}",
                    words(Method::WORDS)
                ),
            );
        }
    }
    field("tags: []", "short words; each tag gets a page");
    field("draft: false", "true keeps it out of the published site");
    field(
        "corrections: []",
        "- {date: YYYY-MM-DD, was, now, why}: each correction of a published mistake, on the record",
    );
    out.push_str(&format!("---\n\n{PLACEHOLDER_BODY}\n"));
    out
}

/// Every file of a new dossier: settings, the default theme, one example
/// of each collection, a README for editors, and what `host` needs to
/// publish it (see [`deploy_files`]). Paths use `/`.
pub fn site(title: &str, host: Host) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut text =
        |path: &str, content: String| files.push((path.to_string(), content.into_bytes()));
    text(
        "site.toml",
        format!(
            "# Settings of this dossier. See README.md.\ntitle = {}\ndescription = \"\"\ndefault_language = \"en\"\ntheme = \"default\"\n\n[languages.en]\nname = \"English\"\n\n# A translation of `x.md` is `x.ar.md` beside it, once the language is declared:\n# [languages.ar]\n# name = \"العربية\"\n# direction = \"rtl\"\n",
            quoted(title)
        ),
    );
    text(
        "content/_index.md",
        format!(
            "---\ntitle: {}\n---\n\nWhat this dossier tracks, for whom, and who maintains it.\n",
            quoted(title)
        ),
    );
    text(
        "content/about.md",
        "---\ntitle: About\n---\n\nWho maintains this dossier and how to reach them.\n".to_string(),
    );
    text(
        "content/actors/example-ngo.md",
        "---\ntitle: Example human-rights organisation\nkind: ngo\n---\n\nAn example actor: replace it with a real one.\n".to_string(),
    );
    text(
        "content/actors/example-force.md",
        "---\ntitle: Example armed force\nkind: armed-force\n---\n\nAn example actor: replace it with a real one.\n".to_string(),
    );
    text(
        "content/sources/example-report.md",
        "---\ntitle: Example report\nkind: ngo-report\npublisher: example-ngo\ndate: 2024-05\nperspective: \"An example: say in one neutral sentence where the source stands, so readers can weigh it.\"\ncopy: \"An example: say what copy was read (the full report, a press release, a translation), and give its url or archive when there is one.\"\n---\n\nWhat the report is and what it covers, in your own words.\n".to_string(),
    );
    text(
        "content/incidents/example-incident.md",
        "---\ntitle: Example incident\nsummary: \"What happened, where, when, to whom.\"\ndate: 2024-03\nplace: {name: Example town}\nperpetrators: [example-force]\nverification: single-source\ncasualties: {killed: {min: 3, max: 5}, injured: {min: 10}}\nsources: [{source: example-report, locator: \"para. 1\"}]\ndemands: [example-demand]\n---\n\nAccording to the example report, ... [@example-report, para. 1]\n".to_string(),
    );
    text(
        "content/demands/example-demand.md",
        "---\ntitle: Investigate the example incident\nkind: investigation\naddressees: [example-force]\nraised_by: [example-ngo]\nfirst_raised: 2024-05\nstatus: unmet\nreviewed: 2024-06\nsources: [example-report]\nhistory:\n  - {date: 2024-05, status: unmet, note: First raised in the example report., source: {source: example-report, locator: \"para. 2\"}}\n---\n\nWhat is asked, of whom, and why [@example-report, para. 1].\n".to_string(),
    );
    text(
        "content/figures/example-figure.md",
        "---\ntitle: Example disputed figure\nunit: people\nestimates:\n  - {min: 3, max: 5, what: The example report, scope: people killed, method: count, period: [2024-03, 2024-03], source: {source: example-report, locator: \"para. 1\"}}\n---\n\nEvery estimate is shown side by side, never averaged. {.editorial}\n".to_string(),
    );
    text("README.md", EDITORS_README.to_string());
    files.extend(deploy_files(host));
    for (relative, bytes) in crate::theme::files() {
        files.push((
            format!("themes/{}/{relative}", crate::theme::DEFAULT_NAME),
            bytes.to_vec(),
        ));
    }
    files.sort();
    files
}

/// Where a new dossier will be published, for `dossier init --host`: each
/// host gets the files that check and publish the dossier at every push.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    Github,
    Gitlab,
    Netlify,
    Cloudflare,
    /// No deploy files: the dossier is published by copying `public/`.
    None,
}

impl Host {
    pub const ALL: [Host; 5] = [
        Host::Github,
        Host::Gitlab,
        Host::Netlify,
        Host::Cloudflare,
        Host::None,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Host::Github => "github",
            Host::Gitlab => "gitlab",
            Host::Netlify => "netlify",
            Host::Cloudflare => "cloudflare",
            Host::None => "none",
        }
    }

    pub fn from_word(word: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|host| host.name() == word)
    }
}

/// The GitHub Actions workflow `dossier init --host github` writes.
pub const GITHUB_WORKFLOW: &str = ".github/workflows/publish.yml";

/// The script the other hosts run to install dossier, check and build.
pub const DEPLOY_SCRIPT: &str = "deploy.sh";

/// The release archive a host's Linux machine installs: the version of
/// dossier that made the dossier, so that a dossier builds the same way
/// until its editors choose to move to a newer one.
const LINUX_ARCHIVE: &str = "dossier-x86_64-unknown-linux-gnu.tar.xz";

/// Shell lines that download this version's Linux release archive, check
/// it against the checksum published beside it, and put the `dossier`
/// binary in the folder named by `$bin`.
fn install_lines() -> String {
    let version = env!("CARGO_PKG_VERSION");
    let releases = concat!(env!("CARGO_PKG_REPOSITORY"), "/releases/download");
    format!(
        "archive={LINUX_ARCHIVE}
url={releases}/v{version}/$archive
download=$(mktemp -d)
(cd \"$download\" && curl --proto '=https' --tlsv1.2 -fsSL --retry 3 -O \"$url\" -O \"$url.sha256\" && sha256sum --check \"$archive.sha256\")
mkdir -p \"$bin\"
tar -xJf \"$download/$archive\" --strip-components=1 -C \"$bin\" \"${{archive%.tar.xz}}/dossier\"
rm -r \"$download\"
"
    )
}

/// Indents every line of `text` by `spaces`, for a YAML block.
fn indented(text: &str, spaces: usize) -> String {
    let pad = " ".repeat(spaces);
    text.lines().map(|line| format!("{pad}{line}\n")).collect()
}

/// The files that publish a new dossier on `host`: a workflow or build
/// settings that install this version of dossier from its release (no
/// compiling), run `dossier check --strict`, and build with `--base-url`
/// set to the address the host publishes at, deploy previews included.
pub fn deploy_files(host: Host) -> Vec<(String, Vec<u8>)> {
    let file = |path: &str, text: String| (path.to_string(), text.into_bytes());
    match host {
        Host::Github => vec![file(GITHUB_WORKFLOW, github_workflow())],
        Host::Gitlab => vec![
            file(".gitlab-ci.yml", GITLAB_CI.to_string()),
            file(DEPLOY_SCRIPT, deploy_script(host)),
        ],
        Host::Netlify => vec![
            file("netlify.toml", NETLIFY_TOML.to_string()),
            file(DEPLOY_SCRIPT, deploy_script(host)),
        ],
        Host::Cloudflare => vec![file(DEPLOY_SCRIPT, deploy_script(host))],
        Host::None => Vec::new(),
    }
}

fn github_workflow() -> String {
    let install = format!(
        "bin=\"$RUNNER_TEMP/dossier-bin\"\n{}echo \"$bin\" >> \"$GITHUB_PATH\"\n",
        install_lines()
    );
    format!(
        r#"# Checks this dossier at every push and pull request, and publishes it
# on GitHub Pages from the main branch. Turn Pages on once, in the
# repository's Settings > Pages > Build and deployment > Source: GitHub Actions.
name: Publish

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

# One publication at a time; a newer push waits for the one under way.
concurrency:
  group: pages-${{{{ github.ref }}}}
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          # The whole history, not only the last commit.
          fetch-depth: 0
      - name: Install dossier {version}
        id: install
        run: |
{install}      - name: Check
        run: dossier check --strict --format github
      - name: Find the address Pages publishes at
        id: pages
        uses: actions/configure-pages@v6
      - name: Build
        env:
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}
        run: dossier build --base-url "${{BASE_URL%/}}/"
      - uses: actions/upload-pages-artifact@v4
        with:
          path: public

  deploy:
    if: github.event_name != 'pull_request'
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"#,
        version = env!("CARGO_PKG_VERSION"),
        install = indented(&install, 10),
    )
}

/// `deploy.sh`: installs dossier, checks the dossier, and builds it for
/// the address `host` publishes this build at.
fn deploy_script(host: Host) -> String {
    let (runs, address) = match host {
        Host::Gitlab => (
            "# GitLab runs it (see .gitlab-ci.yml).",
            "base_url=\"${CI_PAGES_URL%/}/\"",
        ),
        Host::Netlify => (
            "# Netlify runs it (see netlify.toml): the production site at its address,\n# each deploy preview and branch deploy at its own.",
            "if [ \"$CONTEXT\" = production ]; then base_url=\"${URL%/}/\"; else base_url=\"${DEPLOY_PRIME_URL%/}/\"; fi",
        ),
        _ => (
            "# Cloudflare Pages runs it: in the project's Settings > Builds, set the\n# build command to `sh deploy.sh` and the build output directory to\n# `public`. The production branch (main) is built for the base_url in\n# site.toml; every other branch is a preview, built for its own address.",
            "if [ \"$CF_PAGES_BRANCH\" = main ]; then base_url=\"\"; else base_url=\"${CF_PAGES_URL%/}/\"; fi",
        ),
    };
    format!(
        "#!/bin/sh
# Installs dossier {version} from its release (checked against the checksum
# published with it), checks this dossier and builds it into public/.
{runs}
set -eu
bin=\"${{TMPDIR:-/tmp}}/dossier-bin\"
{install}PATH=\"$bin:$PATH\"
{address}
# Each page's history is read from the commits: fetch them all when the
# host cloned only the last ones.
if [ \"$(git rev-parse --is-shallow-repository 2>/dev/null)\" = true ]; then git fetch --quiet --unshallow; fi
dossier check --strict
dossier build ${{base_url:+--base-url \"$base_url\"}}
",
        version = env!("CARGO_PKG_VERSION"),
        install = install_lines(),
    )
}

const GITLAB_CI: &str = "# Checks this dossier at every push, and publishes it on GitLab Pages
# from the default branch (the job named `pages`, whose artifact is public/).
image: debian:bookworm-slim

variables:
  # The whole history, not only the last commit.
  GIT_DEPTH: 0

before_script:
  - apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates curl xz-utils

pages:
  script:
    - sh deploy.sh
  artifacts:
    paths: [public]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

check:
  script:
    - sh deploy.sh
  rules:
    - if: $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH
";

const NETLIFY_TOML: &str = "# Netlify builds this dossier at every push and publishes public/; each
# pull request gets a deploy preview at its own address.
[build]
  command = \"sh deploy.sh\"
  publish = \"public\"
";

const EDITORS_README: &str = "# This dossier

Everything readers see comes from the files in `content/`: one Markdown file
per demand, incident, actor, source and figure, each starting with fields
between two `---` lines.

- Preview while you write: `dossier serve`, then open http://localhost:1111/.
  Pages reload when you save; mistakes show on the page and in the terminal.
- Add a document: `dossier new incidents \"Title of the incident\"` (or
  `demands`, `actors`, `sources`, `figures`). Every field is listed in the new
  file with the values it accepts.
- Check everything: `dossier check` (`--strict` fails on warnings too).
- The map: `dossier geography CO` (the country's two-letter code; `SY,IQ`
  for several) writes `data/geography.json`, the outline and divisions of
  the countries this dossier is about. An incident names its division in
  `place: {name: ..., region: Antioquia}`, and the build checks the name.
- Publish: `dossier build`, then copy the `public/` folder to any web host or
  a USB stick. If this folder was made for a host (`.github/workflows/`,
  `.gitlab-ci.yml`, `netlify.toml` or `deploy.sh`), pushing it to the host
  checks and publishes it: the first lines of that file say what to turn
  on once.

Every claim needs a source: add the report or article under `content/sources/`
first, with a neutral `perspective` note, then name it in `sources:`. Link to
any document in the text with `[words](@/incidents/slug.md)`. The example
files show each collection; replace them with your own.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_without_latin_letters_need_a_slug() {
        assert_eq!(
            slug_for("Nisour Square shooting").as_deref(),
            Some("nisour-square-shooting")
        );
        assert_eq!(slug_for("مجزرة حديثة"), None);
    }

    #[test]
    fn new_documents_list_every_allowed_value() {
        let text = document(Collection::Demands, "A \"quoted\" title");
        assert!(text.contains("title: \"A \\\"quoted\\\" title\""));
        assert!(text.contains("unmet | partial | met | rejected"));
        assert!(text.contains("first_raised: YYYY-MM-DD"));
    }

    #[test]
    fn a_new_site_carries_the_theme() {
        let files = site("Test", Host::None);
        assert!(
            files
                .iter()
                .any(|(p, _)| p == "themes/default/templates/base.html")
        );
        assert!(files.iter().any(|(p, _)| p == "site.toml"));
    }
}
