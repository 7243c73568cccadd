//! `dossier serve` against what a build refuses or a hostile local program
//! does: a copied file swapped for a refused link, links the watcher must
//! not follow. The server runs as its own process where the test counts
//! what the process holds.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use dossier::serve;

use crate::harness::Site;

const SECRET: &str = "secret-the-build-refuses";

#[test]
fn a_copied_file_swapped_for_a_refused_link_is_not_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), SECRET).unwrap();
    let site = Site::linked()
        .file("content/files/ok.txt", "a copied file")
        .file("secret.txt", SECRET)
        .file(".git/config", SECRET)
        .file("public/index.html", SECRET);
    let preview = serve::Preview::load(site.root(), false).unwrap();
    let served = preview.get("files/ok.txt").unwrap().unwrap();
    assert_eq!(served.as_slice(), b"a copied file");
    let file = site.root().join("content/files/ok.txt");
    // Each a place discovery refuses a link to: the site's own files
    // outside its source folders, a hidden folder, the output, elsewhere.
    for target in [
        site.root().join("secret.txt"),
        site.root().join(".git/config"),
        site.root().join("public/index.html"),
        outside.path().join("secret.txt"),
    ] {
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(&target, &file).unwrap();
        let served = preview.get("files/ok.txt").unwrap();
        assert!(
            served.is_none(),
            "a link to {} is served: {:?}",
            target.display(),
            served.map(|b| String::from_utf8_lossy(&b).into_owned())
        );
    }
    // A link the build accepts is still followed.
    std::fs::write(site.root().join("content/files/real.txt"), "linked").unwrap();
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(site.root().join("content/files/real.txt"), &file).unwrap();
    let served = preview.get("files/ok.txt").unwrap().unwrap();
    assert_eq!(served.as_slice(), b"linked");
}

/// `dossier serve --port 0` on a site, as its own process with at most
/// `open_files` open files (`ulimit -n`). Ready once it has printed its
/// address; killed when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Served {
    fn start(root: &Path, open_files: u32) -> Served {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -n {open_files} && exec \"$0\" serve --port 0 --root \"$1\""
            ))
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        // Reads every line, so the server never blocks on a full pipe; ends
        // with the process.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://localhost:").nth(1) {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let _ = sender.send(port.parse::<u16>());
                }
            }
        });
        let mut served = Served {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let port = receiver
            .recv_timeout(Duration::from_secs(180))
            .expect("serve did not say where it listens within 180 s")
            .unwrap();
        served.addr.set_port(port);
        served
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many inotify watches the process `pid` holds.
#[cfg(target_os = "linux")]
fn inotify_watches(pid: u32) -> usize {
    let mut watches = 0;
    for entry in std::fs::read_dir(format!("/proc/{pid}/fdinfo")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        watches += text
            .lines()
            .filter(|l| l.starts_with("inotify wd:"))
            .count();
    }
    watches
}

/// The folders under `dir`, itself included, links not followed, hidden
/// ones left out.
#[cfg(target_os = "linux")]
fn real_folders(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .count()
}

#[cfg(target_os = "linux")]
#[test]
fn the_watcher_follows_no_link_the_build_refuses() {
    // Two trees outside the site, each of more folders than the site has.
    let outside = tempfile::tempdir().unwrap();
    for tree in ["a", "b"] {
        for i in 0..150 {
            std::fs::create_dir_all(outside.path().join(format!("{tree}/{i}/x"))).unwrap();
        }
    }
    let site = Site::linked().file(".git/objects/00/x", "");
    let link = std::os::unix::fs::symlink;
    // Inside a watched folder, and as a watched folder itself.
    link(
        outside.path().join("a"),
        site.root().join("content/outside"),
    )
    .unwrap();
    link(outside.path().join("b"), site.root().join("templates")).unwrap();
    // Inside the site, but through a hidden name.
    link(site.root().join(".git"), site.root().join("static")).unwrap();
    let served = Served::start(site.root(), 1024);
    let watches = inotify_watches(served.child.id());
    // The site's own folders at most: each watched folder and the root.
    let folders = real_folders(site.root());
    eprintln!("{watches} inotify watches for a site of {folders} folders");
    assert!(watches > 0, "nothing is watched");
    assert!(
        watches <= folders,
        "{watches} watches for a site of {folders} folders: refused links were followed"
    );
}
