//! Changes on the record: corrections written in front matter (at the top
//! of their page in every language, on the corrections page, in the feed
//! and in `data/`), and each page's change history read from git.

use std::path::Path;

use crate::harness::Site;

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

/// The linked site in two languages, its incident corrected twice and its
/// actor once, the incident's corrections translated into Arabic.
fn corrected() -> Site {
    Site::linked()
        .file("site.toml", BILINGUAL)
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nplace: {name: Haditha, governorate: Anbar}\nperpetrators: [us-marine-corps]\ncasualties: {killed: 24}\nverification: corroborated\nsources: [amnesty-2023]\ncorrections:\n  - date: 2024-02-03\n    was: The killings took place in Hit.\n    now: The killings took place in Haditha.\n    why: The town was misread from the report.\n  - {date: 2024-06-10, was: Fifteen people were killed., now: Twenty-four people were killed., why: The report's final count.}\n---\nThe body of the page.\n",
        )
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: عمليات القتل في حديثة\ncorrections:\n  - {was: وقعت عمليات القتل في هيت., now: وقعت عمليات القتل في حديثة., why: قُرئ اسم البلدة خطأً من التقرير.}\n  - {was: قُتل خمسة عشر شخصًا., now: قُتل أربعة وعشرون شخصًا., why: العدد النهائي في التقرير.}\n---\nنص الصفحة.\n",
        )
        .file(
            "content/actors/amnesty.md",
            "---\ntitle: Amnesty International\nkind: ngo\ncorrections:\n  - {date: 2024-03-01, was: Founded in 1971., now: Founded in 1961., why: A typo in the year.}\n---\n",
        )
}

#[test]
fn a_correction_shows_at_the_top_of_its_page_in_english_and_arabic() {
    let built = corrected().build().clean();
    let page = built.page("incidents/haditha-2005/index.html");
    let (box_at, body_at) = (
        page.find("class=\"corrections\"")
            .expect("a corrections box"),
        page.find("The body of the page.").unwrap(),
    );
    assert!(box_at < body_at, "the corrections come before the body");
    let corrections = &page[box_at..body_at];
    for text in [
        "Correction",
        "<time datetime=\"2024-06-10\">10 June 2024</time>",
        "This page said:</span> Fifteen people were killed.",
        "It now says:</span> Twenty-four people were killed.",
        "Why:</span> The report&#39;s final count.",
        "The town was misread from the report.",
    ] {
        assert!(corrections.contains(text), "{text} in {corrections}");
    }
    // Newest first.
    assert!(corrections.find("2024-06-10") < corrections.find("2024-02-03"));

    let arabic = built.page("ar/incidents/haditha-2005/index.html");
    let (box_at, body_at) = (
        arabic
            .find("class=\"corrections\"")
            .expect("a corrections box"),
        arabic.find("نص الصفحة.").unwrap(),
    );
    assert!(box_at < body_at);
    let corrections = &arabic[box_at..box_at + arabic[box_at..].find("</section>").unwrap()];
    for text in [
        "تصحيح",
        "كانت هذه الصفحة تقول:</span> قُتل خمسة عشر شخصًا.",
        "وأصبحت تقول:</span> قُتل أربعة وعشرون شخصًا.",
        "السبب:</span> العدد النهائي في التقرير.",
    ] {
        assert!(corrections.contains(text), "{text} in {corrections}");
    }
    // Translated text is not marked as the original's language.
    assert!(!corrections.contains("lang=\"en\""), "{corrections}");
}

#[test]
fn a_correction_of_a_free_page_or_the_home_page_shows_at_its_top() {
    let correction = "corrections:\n  - {date: 2024-01-05, was: Founded in 2002., now: Founded in 2003., why: A typo.}\n";
    let built = Site::new()
        .file(
            "content/_index.md",
            &format!("---\ntitle: Home\n{correction}---\nWelcome.\n"),
        )
        .file(
            "content/about.md",
            &format!("---\ntitle: About\n{correction}---\nWho we are.\n"),
        )
        .build()
        .clean();
    for (path, text) in [
        ("index.html", "Welcome."),
        ("about/index.html", "Who we are."),
    ] {
        let page = built.page(path);
        let box_at = page
            .find("class=\"corrections\"")
            .unwrap_or_else(|| panic!("{path}: {page}"));
        assert!(page[box_at..].contains("Founded in 2003."), "{path}");
        assert!(box_at < page.find(text).unwrap(), "{path}");
    }
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first_and_the_footer_links_to_it() {
    let built = corrected().build().clean();
    let page = built.page("corrections/index.html");
    let order: Vec<usize> = [
        "Twenty-four people",
        "Founded in 1961.",
        "took place in Haditha.",
    ]
    .iter()
    .map(|t| page.find(t).unwrap_or_else(|| panic!("{t} in {page}")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {order:?}"
    );
    assert!(
        page.contains("href=\"../incidents/haditha-2005/index.html\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"../actors/amnesty/index.html\""),
        "{page}"
    );

    let arabic = built.page("ar/corrections/index.html");
    assert!(arabic.contains("<h1>التصحيحات</h1>"), "{arabic}");
    assert!(arabic.contains("قُتل أربعة وعشرون شخصًا."), "{arabic}");
    // The actor has no Arabic version: its correction is shown in English,
    // marked as such.
    assert!(arabic.contains("lang=\"en\" dir=\"ltr\""), "{arabic}");

    let home = built.page("index.html");
    assert!(
        home.contains("href=\"corrections/index.html\">Corrections</a>"),
        "{home}"
    );
    let empty = Site::new().build().clean();
    assert!(
        empty
            .page("corrections/index.html")
            .contains("No page of this dossier has been corrected so far."),
    );
}

#[test]
fn a_corrected_documents_feed_entry_is_updated_to_its_last_correction_and_says_it() {
    let built = corrected().build().clean();
    let feed = built.page("feed.xml");
    let xml = roxmltree::Document::parse(&feed).unwrap();
    let entry = |id: &str| {
        xml.descendants()
            .find(|n| {
                n.has_tag_name("entry")
                    && n.children()
                        .any(|c| c.has_tag_name("id") && c.text() == Some(id))
            })
            .unwrap_or_else(|| panic!("no entry {id} in {feed}"))
    };
    let text = |entry: roxmltree::Node, tag: &str| {
        entry
            .children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    let incident = entry("urn:dossier:incidents:haditha-2005");
    assert_eq!(text(incident, "updated"), "2024-06-10T00:00:00Z");
    let summary = text(incident, "summary");
    assert!(
        summary.contains("Correction (2024-06-10): This page said: Fifteen people were killed. It now says: Twenty-four people were killed. Why: The report's final count."),
        "{summary}"
    );
    assert!(summary.contains("Correction (2024-02-03)"), "{summary}");
    // A document with no entry of its own gets one for its corrections.
    let actor = entry("urn:dossier:actors:amnesty:corrections");
    assert_eq!(text(actor, "updated"), "2024-03-01T00:00:00Z");
    assert_eq!(text(actor, "title"), "Correction: Amnesty International");
    // The feed is as new as its newest entry.
    assert!(
        feed.contains("  <updated>2024-06-10T00:00:00Z</updated>\n"),
        "{feed}"
    );
}

#[test]
fn the_data_exports_carry_each_documents_corrections_and_a_list_of_all() {
    let built = corrected().build().clean();
    let dossier: serde_json::Value =
        serde_json::from_str(&built.page("data/dossier.json")).unwrap();
    let incident = &dossier["documents"]["incidents"][0];
    assert_eq!(
        incident["corrections"][1],
        serde_json::json!({"date": "2024-06-10", "was": "Fifteen people were killed.", "now": "Twenty-four people were killed.", "why": "The report's final count."})
    );
    assert!(
        dossier["documents"]["demands"][0]
            .get("corrections")
            .is_none()
    );

    let all: serde_json::Value =
        serde_json::from_str(&built.page("data/corrections.json")).unwrap();
    let listed: Vec<(&str, &str, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["date"].as_str().unwrap(),
                c["collection"].as_str().unwrap(),
                c["slug"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("2024-06-10", "incidents", "haditha-2005"),
            ("2024-03-01", "actors", "amnesty"),
            ("2024-02-03", "incidents", "haditha-2005"),
        ]
    );
    assert_eq!(all[1]["url"], "actors/amnesty/");

    let row = crate::harness::first_csv_row(&built.page("data/corrections.csv"));
    assert_eq!(row["date"], "2024-06-10");
    assert_eq!(row["now"], "Twenty-four people were killed.");
    assert_eq!(row["url"], "incidents/haditha-2005/");
    assert_eq!(row["title_ar"], "عمليات القتل في حديثة");
}

#[test]
fn malformed_corrections_are_reported_at_their_own_entries() {
    Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nsources: [amnesty-2023]\ncorrections:\n  - {date: 2024-01-02, was: A., now: B., why: C.}\n  - {date: 2024-01-03, was: A., now: B.}\n  - {date: 2005-11-18, was: A., now: B., why: C.}\n  - {date: 2999-01-01, was: A., now: B., why: C.}\n  - {date: 2024-05, was: A., now: '', why: C.}\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "missing field `why` in the correction of `2024-01-03`",
            "content/incidents/haditha-2005.md:7:12",
        ])
        .has(&[
            "the correction is dated 2005-11-18, before the document's `date` (2005-11-19)",
            "content/incidents/haditha-2005.md:8:12",
        ])
        .has(&[
            "the correction is dated 2999-01-01, which has not come yet",
            "content/incidents/haditha-2005.md:9:12",
        ])
        .has(&[
            "the correction of `2024-05` does not name the day",
            "content/incidents/haditha-2005.md:10:12",
        ])
        .has(&[
            "missing field `now` in the correction of `2024-05`",
            "content/incidents/haditha-2005.md:10:12",
        ]);
}

/// A commit of every file under `root` but the output, by `seconds` since
/// 1970, with `parents`: what `git add -A && git commit` would make.
fn commit(repo: &gix::Repository, root: &Path, message: &str, seconds: i64) -> gix::ObjectId {
    let tree = write_tree(repo, root);
    let parents: Vec<gix::ObjectId> = repo
        .head_id()
        .ok()
        .map(|id| id.detach())
        .into_iter()
        .collect();
    let signature = gix::actor::Signature {
        name: "Editor".into(),
        email: "editor@example.org".into(),
        time: gix::date::Time { seconds, offset: 0 },
    };
    let mut buf = gix::date::parse::TimeBuf::default();
    let mut buf2 = gix::date::parse::TimeBuf::default();
    repo.commit_as(
        signature.to_ref(&mut buf),
        signature.to_ref(&mut buf2),
        "HEAD",
        message,
        tree,
        parents,
    )
    .unwrap()
    .detach()
}

fn write_tree(repo: &gix::Repository, folder: &Path) -> gix::ObjectId {
    use gix::objs::tree::{Entry, EntryKind};
    let mut entries: Vec<Entry> = Vec::new();
    for item in std::fs::read_dir(folder).unwrap() {
        let item = item.unwrap();
        let name = item.file_name().to_string_lossy().into_owned();
        if name == ".git" || name == "public" {
            continue;
        }
        let (mode, oid) = if item.file_type().unwrap().is_dir() {
            (EntryKind::Tree, write_tree(repo, &item.path()))
        } else {
            let bytes = std::fs::read(item.path()).unwrap();
            (EntryKind::Blob, repo.write_blob(bytes).unwrap().detach())
        };
        entries.push(Entry {
            mode: mode.into(),
            filename: name.into(),
            oid,
        });
    }
    // Git's order: a folder sorts as if its name ended in `/`.
    let key = |e: &Entry| {
        let mut key = e.filename.to_vec();
        if e.mode.is_tree() {
            key.push(b'/');
        }
        key
    };
    entries.sort_by_key(key);
    repo.write_object(gix::objs::Tree { entries })
        .unwrap()
        .detach()
}

/// The linked site in git: three commits change the incident (the last
/// through its translation), one changes only another document, and the
/// incident is then edited without a commit.
fn committed() -> Site {
    let site = Site::linked().file("site.toml", BILINGUAL);
    let root = site.root().to_path_buf();
    let repo = gix::init(&root).unwrap();
    let day = 86_400;
    let start = 1_700_000_000; // 14 November 2023
    commit(
        &repo,
        &root,
        "Add the dossier\n\nWith every collection.",
        start,
    );
    let site = site.file(
        "content/incidents/haditha-2005.md",
        "---\ntitle: Haditha killings\ndate: 2005-11-19\nsources: [amnesty-2023]\n---\nTwenty-four people were killed.\n",
    );
    commit(&repo, &root, "Give the count of the dead", start + 3 * day);
    let site = site.file(
        "content/actors/amnesty.md",
        "---\ntitle: Amnesty\nkind: ngo\n---\n",
    );
    commit(&repo, &root, "Shorten Amnesty's name", start + 4 * day);
    let site = site.file(
        "content/incidents/haditha-2005.ar.md",
        "---\ntitle: عمليات القتل في حديثة\n---\nقُتل أربعة وعشرون شخصًا.\n",
    );
    commit(&repo, &root, "Translate the Haditha page", start + 10 * day);
    site.file(
        "content/incidents/haditha-2005.md",
        "---\ntitle: Haditha killings\ndate: 2005-11-19\nsources: [amnesty-2023]\n---\nNot committed yet.\n",
    )
}

#[test]
fn three_commits_touching_a_document_give_three_revisions_with_their_dates_and_messages() {
    let built = committed().build().clean();
    // The one note is that link previews want `base_url`: none on history.
    assert_eq!(
        built.report().notes,
        [dossier::share::WITHOUT_BASE_URL.to_string()]
    );
    for (path, count) in [
        ("incidents/haditha-2005/index.html", "3 revisions"),
        (
            "ar/incidents/haditha-2005/index.html",
            "عدد المراجعات: <bdi dir=\"rtl\">٣</bdi>",
        ),
    ] {
        let page = built.page(path);
        let start = page
            .find("<details class=\"revisions\">")
            .expect("a history");
        let history = &page[start..page[start..].find("</details>").unwrap() + start];
        assert!(history.contains("datetime=\"2023-11-14\""), "{history}");
        assert!(history.contains("datetime=\"2023-11-24\""), "{history}");
        let count = count.replace("3 revisions", "<bdi dir=\"ltr\">3</bdi> revisions");
        assert!(history.contains(&count), "{count} in {history}");
        let messages: Vec<usize> = [
            "Translate the Haditha page",
            "Give the count of the dead",
            "Add the dossier</span>",
        ]
        .iter()
        .map(|m| {
            history
                .find(m)
                .unwrap_or_else(|| panic!("{m} in {history}"))
        })
        .collect();
        assert!(messages.windows(2).all(|w| w[0] < w[1]), "newest first");
        assert!(!history.contains("Amnesty"), "{history}");
    }
    // What is not committed is not on the record.
    let page = built.page("incidents/haditha-2005/index.html");
    assert!(page.contains("Not committed yet."));

    let dossier: serde_json::Value =
        serde_json::from_str(&built.page("data/dossier.json")).unwrap();
    let history = &dossier["documents"]["incidents"][0]["history"];
    assert_eq!(history.as_array().unwrap().len(), 3, "{history}");
    assert_eq!(history[0]["date"], "2023-11-14");
    assert_eq!(history[0]["summary"], "Add the dossier");
    assert_eq!(history[2]["date"], "2023-11-24");
    assert_eq!(history[2]["commit"].as_str().unwrap().len(), 40);
}

#[test]
fn the_same_commit_gives_the_same_history_byte_for_byte() {
    let site = committed();
    let first = site.build().clean();
    let before = crate::harness::snapshot(&first.output);
    let second = site.build().clean();
    assert!(crate::harness::snapshot(&second.output) == before);
}

/// Asserts that a build of `site` succeeds with the one note containing
/// `why`, and that no page shows a history.
#[track_caller]
fn one_note_and_no_history(site: &Site, why: &str) {
    let built = site.build().clean();
    let notes: Vec<&String> = (built.report().notes.iter())
        .filter(|note| *note != dossier::share::WITHOUT_BASE_URL)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains(why), "{notes:?}");
    assert!(
        !built
            .page("incidents/haditha-2005/index.html")
            .contains("class=\"revisions\"")
    );
    let dossier = built.page("data/dossier.json");
    assert!(!dossier.contains("\"history\": [\n        {\n          \"date\""));
    assert!(!dossier.contains("\"commit\""), "{dossier}");
}

#[test]
fn outside_git_one_note_is_printed_and_no_history_is_shown() {
    let site = Site::linked();
    one_note_and_no_history(&site, "the site is not in a git repository");
    let (ok, stderr) = crate::harness::run_dossier(site.root(), &["build"]);
    assert!(ok, "{stderr}");
    assert_eq!(stderr.matches("note: the site").count(), 1, "{stderr}");
    assert!(
        stderr
            .contains("note: the site is not in a git repository, so pages show no change history"),
        "{stderr}"
    );
}

#[test]
fn in_a_shallow_clone_one_note_is_printed_and_no_history_is_shown() {
    let site = committed();
    let repo = gix::open(site.root()).unwrap();
    let head = repo.head_id().unwrap().detach();
    // What `git clone --depth 1` leaves: the commits past which history
    // was cut, listed in `.git/shallow`.
    std::fs::write(site.root().join(".git/shallow"), format!("{head}\n")).unwrap();
    one_note_and_no_history(&site, "the site is in a shallow clone");
}
