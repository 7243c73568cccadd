//! The output folder: atomic replacement, refusals, symlinks.

use std::fs;

use crate::harness::{Site, snapshot};

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
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") && n != ".public.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
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
    let site = Site::linked();
    site.build().clean();
    fs::write(site.output().join("stale.html"), "old").unwrap();
    let built = site.build().clean();
    assert!(!built.exists("stale.html"));
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
