//! Builds that are interrupted or overlap: the published output is always a
//! whole build, old or new, and the next build repairs what was left.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Site, snapshot};

/// What is beside the output besides the output itself and its lock.
fn leftovers(root: &Path) -> Vec<String> {
    crate::harness::leftovers(root, "public")
}

#[test]
fn two_builds_at_once_on_one_output_never_publish_a_broken_site() {
    let site = Site::linked();
    site.build().clean();
    let whole = snapshot(&site.output());
    for _ in 0..4 {
        let results: Vec<Result<bool, String>> = std::thread::scope(|scope| {
            let builds: Vec<_> = (0..2)
                .map(|_| {
                    scope.spawn(|| match &site.build().report {
                        Ok(report) => Ok(report.succeeded()),
                        Err(error) => Err(format!("{error:#}")),
                    })
                })
                .collect();
            builds.into_iter().map(|b| b.join().unwrap()).collect()
        });
        for result in &results {
            match result {
                Ok(succeeded) => assert!(succeeded, "{results:?}"),
                Err(error) => assert!(error.contains("another build is writing"), "{error}"),
            }
        }
        assert!(results.iter().any(|r| r == &Ok(true)), "{results:?}");
        assert!(
            snapshot(&site.output()) == whole,
            "the published site is not whole"
        );
        assert_eq!(leftovers(site.root()), Vec::<String>::new());
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_output_old_or_new() {
    let site = Site::linked();
    let versions = ["First summary.", "Second summary."];
    let with = |summary: &str| {
        fs::write(
            site.root().join("content/actors/amnesty.md"),
            format!("---\ntitle: Amnesty International\nkind: ngo\nsummary: {summary}\n---\n"),
        )
        .unwrap()
    };
    // A kept entry (`[build] keep`) is carried over by every build, killed
    // or not.
    fs::create_dir_all(site.output()).unwrap();
    fs::write(site.output().join("CNAME"), "dossier.example.org\n").unwrap();
    let mut published = Vec::new();
    for summary in versions {
        with(summary);
        site.build().clean();
        published.push(snapshot(&site.output()));
    }
    let build = || {
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("DOSSIER_TEST_SWAP_PAUSE_MS", "400")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole build takes here, with its pauses inside the swap;
    // the kills are spread over that time.
    let started = Instant::now();
    assert!(build().wait().unwrap().success());
    let whole_build = started.elapsed();
    published[1] = snapshot(&site.output());
    // Kills spread over the time of a build: at any moment.
    let moments = 16;
    // The kept entry is carried from the old output into the new one just
    // after the exchange, so a kill in between leaves it in the set-aside
    // output, from which the next build carries it over: it is never lost,
    // and everything the builds wrote is whole, old or new.
    let without_kept = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .filter(|(name, _)| name != "CNAME")
            .collect()
    };
    let published: Vec<Vec<(String, Vec<u8>)>> = published.into_iter().map(without_kept).collect();
    let check = |started: Instant| {
        let cname_kept = site.output().join("CNAME").is_file()
            || leftovers(site.root())
                .iter()
                .any(|name| site.root().join(name).join("CNAME").is_file());
        assert!(
            cname_kept,
            "after a kill at {:?} the kept CNAME is lost",
            started.elapsed()
        );
        let now = without_kept(snapshot(&site.output()));
        if !published.contains(&now) {
            let names = |files: &Vec<(String, Vec<u8>)>| -> Vec<String> {
                files.iter().map(|(name, _)| name.clone()).collect()
            };
            let differ: Vec<String> = now
                .iter()
                .filter(|file| !published.iter().any(|p| p.contains(file)))
                .map(|(name, _)| name.clone())
                .collect();
            let missing: Vec<String> = names(&published[1])
                .into_iter()
                .filter(|name| !now.iter().any(|(n, _)| n == name))
                .collect();
            panic!(
                "after a kill at {:?} the output is neither build: {} files, in neither: {differ:?}, missing: {missing:?}, beside it: {:?}",
                started.elapsed(),
                now.len(),
                leftovers(site.root())
            );
        }
    };
    for i in 0..moments {
        with(versions[i % 2]);
        let mut child = build();
        let started = Instant::now();
        let moment = i as u32 + 1;
        std::thread::sleep(whole_build * moment / (moments as u32 + 1));
        child.kill().unwrap();
        child.wait().unwrap();
        check(started);
    }
    // And kills inside the swap itself, whatever the machine's load: each
    // build is killed as soon as it has moved the previous output aside
    // (the folder appears), during the pause that follows.
    let mut kills_inside_swap = 0;
    for i in 0..4 {
        with(versions[i % 2]);
        let mut child = build();
        let started = Instant::now();
        let deadline = started + Duration::from_secs(120);
        let in_swap = loop {
            if leftovers(site.root()).iter().any(|n| n.contains(".old-")) {
                break true;
            }
            if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
                break false;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        child.kill().unwrap();
        child.wait().unwrap();
        kills_inside_swap += in_swap as usize;
        check(started);
        // The next build repairs what this one left.
        site.build().clean();
    }
    assert!(kills_inside_swap > 0, "no kill landed inside the swap");
    site.build().clean();
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
    assert!(site.output().join("CNAME").is_file());
}

#[test]
fn a_previous_output_set_aside_by_a_killed_build_is_put_back() {
    let site = Site::linked();
    site.build().clean();
    let whole = snapshot(&site.output());
    // What a build killed between moving the output aside and moving the new
    // one in leaves, on systems without an atomic exchange. Process 1 never
    // builds.
    let aside = site.root().join(".public.old-999999999");
    // The build records the output in its lock file before moving it.
    let identity = dossier::trust::identity(&site.output()).unwrap();
    fs::write(
        site.root().join(".public.lock"),
        format!("made {identity}\n"),
    )
    .unwrap();
    fs::rename(site.output(), &aside).unwrap();
    let site = site.file(
        "content/actors/amnesty.md",
        "---\ntitle: Amnesty\nkind: nope\n---\n",
    );
    site.build().fails().has(&["unknown value `nope`"]);
    assert_eq!(
        snapshot(&site.output()),
        whole,
        "a failed build must not lose the site"
    );
    assert!(!aside.exists());
}
