//! `dossier serve` against what a build refuses or a hostile local program
//! does: a copied file swapped for a refused link, connections held open
//! without a word, links the watcher must not follow; and a template whose
//! loops would not end. The server runs as its own process where the test
//! counts what the process holds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// The status of `GET /`, or `None` when no answer came within `wait`.
fn status_within(addr: SocketAddr, wait: Duration) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, wait).ok()?;
    stream.set_read_timeout(Some(wait)).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        addr.port()
    )
    .ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    String::from_utf8_lossy(&head[9..12]).parse().ok()
}

#[test]
fn idle_connections_neither_stop_serve_nor_stay_open() {
    // More silent connections than the server may open files: without a
    // limit, it can accept no other once its files are used up.
    const OPEN_FILES: u32 = 400;
    const IDLE: usize = 500;
    assert!(serve::MAX_CONNECTIONS + 64 < OPEN_FILES as usize);
    let site = Site::linked();
    let served = Served::start(site.root(), OPEN_FILES);
    assert_eq!(
        status_within(served.addr, Duration::from_secs(60)),
        Some(200)
    );
    let idle: Vec<TcpStream> = (0..IDLE)
        .map(|_| TcpStream::connect_timeout(&served.addr, Duration::from_secs(10)).unwrap())
        .collect();
    let asked = Instant::now();
    let status = status_within(served.addr, Duration::from_secs(30));
    let answered = asked.elapsed();
    assert_eq!(
        status,
        Some(200),
        "no answer within 30 s behind {IDLE} idle connections"
    );
    eprintln!("answered behind {IDLE} idle connections in {answered:?}");
    // Not after waiting for them to time out: the oldest silent one made
    // room.
    assert!(
        answered < serve::HEADER_TIMEOUT,
        "answered after {answered:?}, once idle connections had timed out"
    );
    // Every idle connection is closed: at once when a newer one needs its
    // place, else when it has said nothing for the header timeout.
    let deadline = Instant::now() + serve::HEADER_TIMEOUT + Duration::from_secs(60);
    for (i, mut stream) in idle.into_iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        let mut byte = [0u8; 1];
        match stream.read(&mut byte) {
            Ok(0) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            other => panic!("idle connection {i} still open after the header timeout: {other:?}"),
        }
    }
}

#[test]
fn a_page_that_grows_past_the_limit_stops_at_its_template() {
    // Nested loops that print 90 MiB, past the limit of 64 MiB; loops of a
    // mistaken template can print for as long as the build runs.
    let kib = "x".repeat(1024);
    let template = format!(
        "{{% for a in range(end=300) %}}{{% for b in range(end=300) %}}{kib}{{% endfor %}}{{% endfor %}}"
    );
    let site = Site::linked().file("templates/home.html", &template);
    site.build_with(|options| options.mode = dossier::Mode::Check)
        .fails()
        .has(&["templates/home.html", "64 MiB"]);
}
