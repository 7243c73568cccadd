//! `dossier serve`: a real server on a free loopback port, spoken to over
//! raw TCP so that request paths reach it exactly as written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossier::model::{Collection, DocKind};
use dossier::serve::{self, Handle};

use crate::harness::Site;

const SECRET: &str = "secret-outside-the-site";

fn start(site: &Site) -> Handle {
    serve::start(
        serve::Options {
            root: site.root().to_path_buf(),
            drafts: false,
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            debounce: Duration::from_millis(20),
        },
        |_| {},
    )
    .unwrap()
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

fn request(addr: SocketAddr, path: &str, host: &str) -> Reply {
    raw(addr, &format!("GET {path} HTTP/1.1\r\nHost: {host}"))
}

/// Sends `head` (the request line and headers, without the blank line)
/// exactly as written.
fn raw(addr: SocketAddr, head: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, path, &format!("127.0.0.1:{}", addr.port()))
}

/// A site with files around it that no request may reach.
fn guarded_site() -> Site {
    let site = Site::linked()
        .file("secret.txt", SECRET)
        .file("public-secret/index.html", SECRET)
        .file("content/files/ok.txt", "a copied file");
    std::fs::write(
        site.root().parent().unwrap().join(format!(
            "{}-secret.txt",
            site.root().file_name().unwrap().to_string_lossy()
        )),
        SECRET,
    )
    .ok();
    site
}

#[test]
fn serves_pages_assets_and_exports_with_fixed_content_types() {
    let site = guarded_site();
    let server = start(&site);
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.head
            .to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(
        home.head
            .to_ascii_lowercase()
            .contains("x-content-type-options: nosniff")
    );
    assert!(
        !home
            .head
            .to_ascii_lowercase()
            .contains("access-control-allow-origin")
    );
    assert!(
        home.body.contains(serve::EVENTS_PATH),
        "the reload script is injected"
    );
    assert_eq!(get(server.addr, "/incidents/haditha-2005/").status, 200);
    assert_eq!(get(server.addr, "/incidents/haditha-2005").status, 308);
    let file = get(server.addr, "/files/ok.txt");
    assert_eq!((file.status, file.body.as_str()), (200, "a copied file"));
    let css = get(server.addr, "/style.css");
    assert!(
        css.head
            .to_ascii_lowercase()
            .contains("content-type: text/css")
    );
    assert!(
        get(server.addr, "/data/dossier.json")
            .body
            .contains("\"format\": \"dossier/1\"")
    );
    let missing = get(server.addr, "/no/such/page/");
    assert_eq!(missing.status, 404);
    server.stop();
}

#[test]
fn a_copied_page_such_as_the_web_editor_is_served_as_it_is() {
    let editor = "<!doctype html>\n<html><head><title>Edit</title></head><body><script src=\"dossier.js\"></script></body></html>\n";
    let site = Site::linked().file("static/admin/index.html", editor);
    let server = start(&site);
    // Reloaded at every change of the site, the editor would lose what is
    // being typed in it.
    let page = get(server.addr, "/admin/index.html");
    assert_eq!((page.status, page.body.as_str()), (200, editor));
    assert!(get(server.addr, "/").body.contains(serve::EVENTS_PATH));
    server.stop();
}

#[test]
fn traversal_attempts_get_404_and_no_byte_from_outside() {
    let site = guarded_site();
    let server = start(&site);
    let name = site
        .root()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let attempts = [
        "/../secret.txt".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2E%2E/%2E%2E/etc/passwd".to_string(),
        "/%252e%252e/secret.txt".to_string(),
        "/..%5csecret.txt".to_string(),
        "/..\\secret.txt".to_string(),
        "/incidents/../../secret.txt".to_string(),
        "//etc/passwd".to_string(),
        "/etc/passwd".to_string(),
        format!("/{}/secret.txt", site.root().display()),
        "/secret.txt%00.html".to_string(),
        "/C:/Windows/win.ini".to_string(),
        "/../public-secret/index.html".to_string(),
        "/public-secret/index.html".to_string(),
        format!("/../../{name}-secret.txt"),
        "/content/incidents/haditha-2005.md".to_string(),
        "/site.toml".to_string(),
    ];
    for path in &attempts {
        let reply = get(server.addr, path);
        assert!(
            reply.status == 404 || reply.status == 400,
            "{path} answered {}",
            reply.status
        );
        assert!(
            !reply.body.contains(SECRET),
            "{path} leaked a file from outside the site"
        );
        assert!(
            !reply.body.contains("root:x:0"),
            "{path} leaked /etc/passwd"
        );
    }
    server.stop();
}

#[test]
fn a_foreign_host_is_refused() {
    let site = Site::linked();
    let server = start(&site);
    let port = server.addr.port();
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        &format!("127.0.0.1:{}", port + 1),
        "",
    ] {
        assert_eq!(request(server.addr, "/", host).status, 403, "Host: {host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(request(server.addr, "/", &host).status, 200, "Host: {host}");
    }
    assert_eq!(
        request(server.addr, serve::EVENTS_PATH, "evil.example").status,
        403
    );
    server.stop();
}

/// Reads server-sent events until one named `name` arrives; returns its data.
fn wait_for_event(reader: &mut BufReader<TcpStream>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut current = String::new();
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            continue;
        }
        let line = line.trim_end();
        if let Some(event) = line.strip_prefix("event: ") {
            current = event.to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && current == name
        {
            return data.to_string();
        }
    }
    panic!("no `{name}` event within 20 s");
}

fn subscribe(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        serve::EVENTS_PATH,
        addr.port()
    )
    .unwrap();
    // The server subscribes the stream before it answers, so once the
    // answer's head has come, every later event reaches this reader.
    let mut reader = BufReader::new(stream);
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut head = String::new();
    let mut line = String::new();
    loop {
        assert!(Instant::now() < deadline, "the event stream did not answer");
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            continue;
        }
        if line == "\r\n" {
            let status = head.lines().next().unwrap_or_default();
            assert!(status.contains(" 200 "), "{head}");
            return reader;
        }
        head.push_str(&line);
    }
}

#[test]
fn an_edit_reloads_the_page_with_the_new_text() {
    let site = Site::linked();
    let server = start(&site);
    assert!(
        get(server.addr, "/incidents/haditha-2005/")
            .body
            .contains("Haditha killings")
    );
    let mut events = subscribe(server.addr);
    let path = site.root().join("content/incidents/haditha-2005.md");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "title: Haditha killings",
        "title: Haditha killings (revised)",
    );
    std::fs::write(&path, text).unwrap();
    wait_for_event(&mut events, "reload");
    assert!(
        get(server.addr, "/incidents/haditha-2005/")
            .body
            .contains("Haditha killings (revised)")
    );
    // Pages that show the incident changed too: its perpetrator's page.
    assert!(
        get(server.addr, "/actors/us-marine-corps/")
            .body
            .contains("Haditha killings (revised)")
    );
    server.stop();
}

#[test]
fn a_broken_edit_shows_the_overlay_and_keeps_the_previous_pages() {
    let site = Site::linked();
    let server = start(&site);
    let mut events = subscribe(server.addr);
    // A file name holding markup must reach the page as text.
    let path = site
        .root()
        .join("content/actors/x<script>alert(1)<-script>.md");
    std::fs::write(&path, "---\ntitle: X\nkind: militia\n---\n").unwrap();
    let data = wait_for_event(&mut events, "problems");
    let text: String = serde_json::from_str(&data).unwrap();
    assert!(text.contains("cannot be used in a web address"), "{text}");
    let page = get(server.addr, "/incidents/haditha-2005/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Haditha killings"),
        "the previous page is still served"
    );
    // The reload script names the overlay's id on every page: only the
    // element itself shows that the overlay is there.
    assert!(
        page.body
            .contains("<pre id=\"__dossier_problems\" role=\"alert\""),
        "the overlay is shown"
    );
    assert!(
        page.body.contains("x&lt;script&gt;alert(1)&lt;-script&gt;"),
        "the file name is escaped"
    );
    assert!(!page.body.contains("<script>alert(1)"));
    // Fixing it reloads.
    std::fs::remove_file(&path).unwrap();
    wait_for_event(&mut events, "reload");
    assert!(
        !get(server.addr, "/incidents/haditha-2005/")
            .body
            .contains("__dossier_problems\" role")
    );
    server.stop();
}

#[test]
fn a_folder_redirect_never_names_another_host() {
    let site = Site::linked();
    let server = start(&site);
    for path in [
        "//incidents/haditha-2005",
        "///incidents/haditha-2005",
        "/./incidents/haditha-2005",
        "/incidents//haditha-2005",
    ] {
        let reply = get(server.addr, path);
        if reply.status == 404 {
            continue;
        }
        assert_eq!(reply.status, 308, "{path}: {}", reply.head);
        assert!(
            reply
                .head
                .to_ascii_lowercase()
                .contains("\r\nlocation: /incidents/haditha-2005/"),
            "{path}: {}",
            reply.head
        );
    }
    assert_eq!(get(server.addr, "//incidents/haditha-2005").status, 308);
    server.stop();
}

#[test]
fn absolute_form_targets_and_duplicate_hosts_are_refused() {
    let site = Site::linked();
    let server = start(&site);
    let port = server.addr.port();
    let host = format!("127.0.0.1:{port}");
    assert_eq!(
        raw(server.addr, &format!("GET / HTTP/1.1\r\nHost: {host}")).status,
        200
    );
    let absolute = raw(
        server.addr,
        &format!("GET http://{host}/index.html HTTP/1.1\r\nHost: {host}"),
    );
    assert!((400..500).contains(&absolute.status), "{}", absolute.head);
    let twice = raw(
        server.addr,
        &format!("GET / HTTP/1.1\r\nHost: {host}\r\nHost: evil.example"),
    );
    assert!((400..500).contains(&twice.status), "{}", twice.head);
    server.stop();
}

#[test]
fn event_streams_are_capped() {
    let site = Site::linked();
    let server = start(&site);
    // Each is answered 200 (`subscribe` checks) and stays open.
    let _open: Vec<BufReader<TcpStream>> = (0..serve::MAX_EVENT_STREAMS)
        .map(|_| subscribe(server.addr))
        .collect();
    assert_eq!(get(server.addr, serve::EVENTS_PATH).status, 503);
    server.stop();
}

/// The documents `update_documents` says may look different after `path`
/// was rewritten with `text` (or removed, when `text` is `None`).
fn touched_by(site: &Site, path: &str, text: Option<&str>) -> Vec<(DocKind, String)> {
    let mut loaded = dossier::site::Site::load(site.root(), false)
        .unwrap()
        .unwrap();
    match text {
        Some(text) => std::fs::write(site.root().join(path), text).unwrap(),
        None => std::fs::remove_file(site.root().join(path)).unwrap(),
    }
    loaded.update_documents(&[PathBuf::from(path)])
}

#[test]
fn pages_linking_to_a_document_that_becomes_a_draft_are_refreshed() {
    let site = Site::linked();
    let touched = touched_by(
        &site,
        "content/actors/us-marine-corps.md",
        Some("---\ntitle: US Marine Corps\nkind: armed-force\ndraft: true\n---\n"),
    );
    for (kind, slug) in [
        (DocKind::Entry(Collection::Incidents), "haditha-2005"),
        (DocKind::Entry(Collection::Demands), "investigate"),
    ] {
        assert!(
            touched.contains(&(kind, slug.to_string())),
            "{slug} links to the new draft but was not refreshed: {touched:?}"
        );
    }
}

/// The linked site in English and Arabic, with one actor translated.
fn translated_site() -> Site {
    Site::linked()
        .file(
            "site.toml",
            "title = \"T\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n",
        )
        .file(
            "content/actors/us-marine-corps.ar.md",
            "---\ntitle: مشاة البحرية\nkind: armed-force\n---\n",
        )
}

#[test]
fn pages_linking_to_a_deleted_translation_are_refreshed() {
    let site = translated_site();
    let touched = touched_by(&site, "content/actors/us-marine-corps.ar.md", None);
    assert!(
        touched.contains(&(
            DocKind::Entry(Collection::Incidents),
            "haditha-2005".to_string()
        )),
        "the incident showed the translation's title on its Arabic page: {touched:?}"
    );
}

#[test]
fn editing_a_translation_or_its_original_leaves_every_translation_read_once() {
    let site = translated_site();
    let preview = serve::Preview::load(site.root(), false).unwrap();
    for (path, text) in [
        (
            "content/actors/us-marine-corps.ar.md",
            "---\ntitle: مشاة البحرية الأمريكية\nkind: armed-force\n---\n",
        ),
        (
            "content/actors/us-marine-corps.md",
            "---\ntitle: The US Marine Corps\nkind: armed-force\n---\n",
        ),
    ] {
        std::fs::write(site.root().join(path), text).unwrap();
        let applied = preview.apply(&[PathBuf::from(path)]);
        // Each translation once: read twice, it would collide with itself.
        assert!(
            matches!(&applied, serve::Applied::Reloaded { problems, .. } if !problems.iter().any(|p| p.is_error())),
            "after editing {path}: {applied:?}"
        );
    }
    let page = preview
        .get("ar/actors/us-marine-corps/index.html")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&page).contains("مشاة البحرية الأمريكية"));
}

#[test]
fn no_served_page_links_to_a_document_that_became_a_draft() {
    let site = Site::linked();
    let preview = serve::Preview::load(site.root(), false).unwrap();
    let page =
        |path: &str| String::from_utf8(preview.get(path).unwrap().unwrap().to_vec()).unwrap();
    let link = "actors/us-marine-corps/index.html";
    assert!(page("incidents/haditha-2005/index.html").contains(link));
    assert!(page("demands/investigate/index.html").contains(link));
    std::fs::write(
        site.root().join("content/actors/us-marine-corps.md"),
        "---\ntitle: US Marine Corps\nkind: armed-force\ndraft: true\n---\n",
    )
    .unwrap();
    let applied = preview.apply(&[PathBuf::from("content/actors/us-marine-corps.md")]);
    assert!(
        matches!(applied, serve::Applied::Reloaded { .. }),
        "{applied:?}"
    );
    for path in [
        "incidents/haditha-2005/index.html",
        "demands/investigate/index.html",
    ] {
        assert!(
            !page(path).contains(link),
            "{path} still links to the draft"
        );
    }
    assert!(preview.get(link).unwrap().is_none());
}

#[cfg(feature = "search")]
#[test]
fn serve_answers_search_with_a_bundle_built_in_the_background() {
    let site = Site::linked();
    let server = start(&site);
    // The bundle is built after the server starts; until then search is
    // missing, never blocking a page.
    assert_eq!(get(server.addr, "/").status, 200);
    let deadline = Instant::now() + Duration::from_secs(120);
    let entry = loop {
        let reply = get(server.addr, "/pagefind/pagefind-entry.json");
        if reply.status == 200 {
            break reply;
        }
        assert!(Instant::now() < deadline, "no search bundle after 120 s");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(entry.body.contains("page_count"), "{}", entry.body);
    assert!(
        entry
            .head
            .to_ascii_lowercase()
            .contains("content-type: application/json")
    );
    let script = get(server.addr, "/pagefind/pagefind.js");
    assert_eq!(script.status, 200);
    assert!(!script.body.contains(serve::EVENTS_PATH));
    server.stop();
}

#[test]
fn archived_copies_are_hashed_once_per_load_not_at_every_relink() {
    const PDF_SHA256: &str = "e16fa5d9b51928755db85b917f0297babaf22c7a47e97d9212adab56e61ba04e";
    let site = Site::linked()
        .bytes("content/files/report.pdf", b"%PDF-1.4")
        .file(
            "content/sources/report.md",
            &format!("---\ntitle: Report\nkind: ngo-report\nperspective: An NGO.\narchive: {{file: files/report.pdf, sha256: {PDF_SHA256}}}\n---\n"),
        );
    let mut loaded = dossier::site::Site::load(site.root(), false)
        .unwrap()
        .unwrap();
    assert_eq!(loaded.archives.reads(), 1);
    for edit in ["First edit.", "Second edit."] {
        std::fs::write(
            site.root().join("content/actors/amnesty.md"),
            format!("---\ntitle: Amnesty International\nkind: ngo\n---\n{edit}\n"),
        )
        .unwrap();
        loaded.update_documents(&[PathBuf::from("content/actors/amnesty.md")]);
    }
    assert_eq!(loaded.archives.reads(), 1, "relinking read the copy again");
    assert!(!loaded.has_errors(), "{:?}", loaded.problems());
    // The source itself edited: its copy is known, its new hash checked.
    std::fs::write(
        site.root().join("content/sources/report.md"),
        format!("---\ntitle: Report\nkind: ngo-report\nperspective: An NGO.\narchive: {{file: files/report.pdf, sha256: {}}}\n---\n", "0".repeat(64)),
    )
    .unwrap();
    loaded.update_documents(&[PathBuf::from("content/sources/report.md")]);
    assert_eq!(loaded.archives.reads(), 1);
    assert!(
        loaded
            .problems()
            .iter()
            .any(|p| p.to_string().contains("does not match its `sha256`")),
        "{:?}",
        loaded.problems()
    );
}

#[test]
fn serve_answers_every_path_a_build_publishes_with_the_same_bytes() {
    let site = Site::linked()
        .bytes("content/files/report.pdf", b"%PDF-1.4")
        .file(
            "site.toml",
            &format!("{}[build]\nsearch = false\n", crate::harness::SITE_TOML),
        );
    let built = site.build().clean();
    let preview = serve::Preview::load(site.root(), false).unwrap();
    let files = crate::harness::snapshot(&built.output);
    assert!(files.iter().any(|(path, _)| path == "files/report.pdf"));
    assert!(files.iter().any(|(path, _)| path == "data/dossier.json"));
    for (path, bytes) in files {
        // The manifests describe a finished output, which a preview is not.
        if path == ".dossier-output" || path == dossier::sign::MANIFEST {
            continue;
        }
        let served = preview
            .get(&path)
            .unwrap()
            .unwrap_or_else(|| panic!("serve does not publish `{path}`"));
        assert!(*served == bytes, "serve answers `{path}` with other bytes");
    }
}
