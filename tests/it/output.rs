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
        .filter(|n| n.starts_with(".public"))
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
fn symlinks_inside_the_site_are_followed() {
    let site = Site::linked().file("shared/note.md", "---\ntitle: Note\n---\nShared.\n");
    std::os::unix::fs::symlink(
        site.root().join("shared/note.md"),
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
