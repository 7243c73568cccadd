//! The output folder: atomic replacement, refusals, symlinks.

use std::fs;

use crate::harness::{Site, leftovers, snapshot};

#[test]
fn a_failed_build_leaves_the_published_output_byte_for_byte() {
    let site = Site::linked();
    site.build().clean();
    let before = snapshot(&site.output());
    let site = site.file(
        "content/actors/amnesty.md",
        "---\ntitle: Amnesty\nkind: nope\n---\n",
    );
    site.build().fails().has(&["`nope`"]);
    assert_eq!(snapshot(&site.output()), before);
    // No staging folder is left behind.
    assert_eq!(leftovers(site.root(), "public"), Vec::<String>::new());
}

#[test]
fn a_template_error_at_render_time_also_leaves_the_output() {
    let site = Site::linked();
    site.build().clean();
    let before = snapshot(&site.output());
    // A missing interface string is only found while the page renders,
    // after pages have started to reach the staging folder.
    let site = site.file(
        "templates/incident.html",
        "{{ page.title }} {{ t(key=\"no_such_string\") }}",
    );
    site.build().fails().has(&[
        "error while rendering",
        "no interface string `no_such_string`",
    ]);
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn a_new_build_replaces_the_old_output_whole() {
    let site = Site::linked().file(
        "content/actors/gone.md",
        "---\ntitle: Gone\nkind: ngo\n---\n",
    );
    site.build().clean();
    assert!(site.output().join("actors/gone/index.html").exists());
    fs::remove_file(site.root().join("content/actors/gone.md")).unwrap();
    let built = site.build().clean();
    assert!(!built.exists("actors/gone/index.html"));
    assert!(!built.exists("actors/gone"));
}

fn publish_into(site: &Site, output: &std::path::Path) -> crate::harness::Built {
    site.build_with(|o| {
        o.mode = dossier::Mode::Publish {
            output: Some(output.to_path_buf()),
        }
    })
}

/// A folder `name` in the site's root holding `files` (path, text).
fn folder_with(site: &Site, name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let folder = site.root().join(name);
    for (path, text) in files {
        let path = folder.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    folder
}

#[test]
fn a_hand_made_marker_deletes_nothing() {
    let site = Site::linked();
    let theirs = folder_with(
        &site,
        "theirs",
        &[
            (".dossier-output", ""),
            ("notes.txt", "keep me"),
            ("drafts/index.html", "mine"),
        ],
    );
    let before = snapshot(&theirs);
    publish_into(&site, &theirs).fails().has(&[
        "did not write",
        "`drafts/index.html`",
        "`notes.txt`",
    ]);
    assert_eq!(snapshot(&theirs), before);
    // Nor does deleting such a folder as a build's own.
    assert!(dossier::write::remove_own(&theirs).is_err());
    assert_eq!(snapshot(&theirs), before);
}

#[test]
fn a_file_added_to_the_output_is_refused_and_kept() {
    let site = Site::linked();
    site.build().clean();
    fs::write(site.output().join("notes.txt"), "mine").unwrap();
    let before = snapshot(&site.output());
    site.build()
        .fails()
        .has(&["did not write", "`notes.txt`", "[build] keep"]);
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn a_file_edited_in_the_output_is_refused_and_kept() {
    let site = Site::linked();
    site.build().clean();
    let page = site.output().join("actors/amnesty/index.html");
    fs::write(&page, "edited by hand").unwrap();
    let before = snapshot(&site.output());
    site.build()
        .fails()
        .has(&["changed since", "`actors/amnesty/index.html`"]);
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn a_refusal_names_a_few_foreign_files_and_counts_the_rest() {
    let site = Site::linked();
    let theirs = site.root().join("theirs");
    fs::create_dir_all(&theirs).unwrap();
    for i in 0..12 {
        fs::write(theirs.join(format!("file-{i:02}.txt")), "x").unwrap();
    }
    publish_into(&site, &theirs)
        .fails()
        .has(&["`file-00.txt`", "`file-04.txt`", "7 more"]);
}

#[test]
fn a_gh_pages_worktree_keeps_its_git_folder_and_cname_across_builds() {
    let site = Site::linked();
    let pages = folder_with(
        &site,
        "gh-pages",
        &[
            (".git/HEAD", "ref: refs/heads/gh-pages\n"),
            (".git/objects/ab", "object"),
            ("CNAME", "dossier.example.org\n"),
        ],
    );
    let kept = snapshot(&pages);
    for _ in 0..2 {
        let built = publish_into(&site, &pages).clean();
        assert!(built.exists("index.html"));
        let now = snapshot(&pages);
        for file in &kept {
            assert!(now.contains(file), "{} was lost", file.0);
        }
        let marker = fs::read_to_string(pages.join(".dossier-output")).unwrap();
        assert!(marker.contains(" index.html\n"), "{marker}");
        assert!(
            !marker.contains("CNAME") && !marker.contains(".git/"),
            "{marker}"
        );
    }
    assert_eq!(leftovers(site.root(), "gh-pages"), Vec::<String>::new());
}

#[test]
fn an_entry_not_in_keep_is_refused_and_one_in_keep_is_carried_over() {
    let site = Site::linked();
    site.build().clean();
    fs::write(site.output().join("CNAME"), "a.example.org\n").unwrap();
    fs::write(site.output().join("google123.html"), "verification").unwrap();
    site.build().fails().has(&["`google123.html`"]);
    let site = site.file(
        "site.toml",
        &format!(
            "{}[build]\nkeep = [\"CNAME\", \"google123.html\"]\n",
            crate::harness::SITE_TOML
        ),
    );
    let built = site.build().clean();
    assert!(built.exists("google123.html") && built.exists("CNAME"));
    // With `.git` no longer kept, a folder of that name is foreign.
    fs::create_dir_all(site.output().join(".git")).unwrap();
    fs::write(site.output().join(".git/HEAD"), "ref").unwrap();
    site.build().fails().has(&["`.git/HEAD`"]);
}

#[test]
fn a_keep_entry_with_a_path_is_a_setting_error() {
    Site::linked()
        .file(
            "site.toml",
            &format!(
                "{}[build]\nkeep = [\"docs/CNAME\"]\n",
                crate::harness::SITE_TOML
            ),
        )
        .build()
        .fails()
        .has(&["`docs/CNAME` in `keep`", "site.toml:"]);
}

#[test]
fn the_marker_lists_every_file_with_its_hash_and_is_deterministic() {
    let site = Site::linked();
    site.build().clean();
    let first = fs::read_to_string(site.output().join(".dossier-output")).unwrap();
    site.build().clean();
    let second = fs::read_to_string(site.output().join(".dossier-output")).unwrap();
    assert_eq!(first, second);
    let manifest = dossier::write::Manifest::parse(&first);
    assert!(manifest.build.is_some());
    let files: Vec<String> = snapshot(&site.output())
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path != ".dossier-output")
        .collect();
    assert_eq!(manifest.files.keys().cloned().collect::<Vec<_>>(), files);
    let (size, hash) = &manifest.files["index.html"];
    let index = fs::read(site.output().join("index.html")).unwrap();
    assert_eq!(*size, index.len() as u64);
    assert_eq!(hash.len(), 64);
}

#[test]
fn refuses_output_folders_that_are_not_its_own() {
    let site = Site::linked();
    let root = site.root().to_path_buf();
    for output in [
        std::path::PathBuf::from("/"),
        root.clone(),
        root.join("content"),
        root.join("themes"),
        root.join("themes/default/templates"),
        root.parent().unwrap().to_path_buf(),
    ] {
        site.build_with(|o| {
            o.mode = dossier::Mode::Publish {
                output: Some(output.clone()),
            }
        })
        .fails()
        .has(&["refusing to use"]);
    }
    if let Some(home) = std::env::var_os("HOME") {
        site.build_with(|o| {
            o.mode = dossier::Mode::Publish {
                output: Some(home.clone().into()),
            }
        })
        .fails()
        .has(&["refusing to use"]);
    }
    // A folder that holds someone else's files is never replaced.
    let theirs = root.join("theirs");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("notes.txt"), "keep me").unwrap();
    site.build_with(|o| {
        o.mode = dossier::Mode::Publish {
            output: Some(theirs.clone()),
        }
    })
    .fails()
    .has(&["did not write"]);
    assert_eq!(
        fs::read_to_string(theirs.join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn an_empty_folder_may_be_the_output() {
    let site = Site::linked();
    let out = site.root().join("empty");
    fs::create_dir_all(&out).unwrap();
    site.build_with(|o| {
        o.mode = dossier::Mode::Publish {
            output: Some(out.clone()),
        }
    })
    .clean();
    assert!(out.join("index.html").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\nkind: ngo\n---\n",
    )
    .unwrap();
    let site = Site::linked();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/actors/secret.md"),
    )
    .unwrap();
    let built = site
        .build()
        .fails()
        .has(&["content/actors/secret.md", "outside the site"]);
    assert!(!built.exists("actors/secret/index.html"));
}

#[cfg(unix)]
#[test]
fn symlinks_into_the_site_source_folders_are_followed() {
    let site = Site::linked().file("static/shared/note.md", "---\ntitle: Note\n---\nShared.\n");
    std::os::unix::fs::symlink(
        site.root().join("static/shared/note.md"),
        site.root().join("content/note.md"),
    )
    .unwrap();
    let built = site.build().clean();
    assert!(built.page("note/index.html").contains("Shared."));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed() {
    let site = Site::linked();
    fs::create_dir_all(site.root().join("content/actors/nested")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("content/actors"),
        site.root().join("content/actors/nested/loop"),
    )
    .unwrap();
    site.build().fails().has(&["loops back"]);
}

#[cfg(unix)]
#[test]
fn links_to_hidden_files_the_output_or_the_site_are_refused_and_never_read() {
    use std::os::unix::fs::symlink;
    let site = Site::linked()
        .file(".env", "SECRET=hunter2\n")
        .file(".git/config", "[core]\n")
        .file("content/files/ok.txt", "fine");
    let files = site.root().join("content/files");
    symlink("../../.env", files.join("env.txt")).unwrap();
    symlink("../../.git", files.join("gitdir")).unwrap();
    symlink("../..", files.join("site")).unwrap();
    symlink("../../public", files.join("out")).unwrap();
    symlink("ok.txt", files.join("alias.txt")).unwrap();
    fs::create_dir_all(site.root().join("public")).unwrap();
    let secret_hash = "0".repeat(64);
    let site = site.file(
        "content/sources/leak.md",
        &format!("---\ntitle: Leak\nkind: ngo-statement\nperspective: P.\narchive: {{file: files/env.txt, sha256: {secret_hash}}}\n---\n"),
    );
    // Each of the five refusals is checked below.
    let built = site.build().fails_with(5);
    let text = built.diagnostics();
    for link in ["env.txt", "gitdir", "site", "out"] {
        assert!(
            text.contains(&format!("content/files/{link}` is a link to")),
            "{link} not refused:\n{text}"
        );
    }
    assert!(!text.contains("alias.txt"), "{text}");
    assert!(text.contains("`files/env.txt` is a link"), "{text}");
    assert!(
        !text.contains("SHA-256 is"),
        "the outside file's hash was printed:\n{text}"
    );
}

#[cfg(unix)]
#[test]
fn an_output_inside_a_linked_content_folder_is_refused() {
    let site = Site::linked();
    let real = site.root().join("real-content");
    fs::rename(site.root().join("content"), &real).unwrap();
    std::os::unix::fs::symlink(&real, site.root().join("content")).unwrap();
    let output = site.root().join("content/out");
    site.build_with(|o| {
        o.mode = dossier::Mode::Publish {
            output: Some(output.clone()),
        }
    })
    .fails()
    .has(&["inside the site's `content/` folder"])
    .has(&["`content` is a link to `./real-content`"]);
    assert!(!real.join("out").exists());
}
