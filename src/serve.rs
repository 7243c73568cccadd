//! `dossier serve`: a local preview that follows the editor's saves.
//!
//! The site is kept in memory, never written to disk: pages are rendered
//! when first asked for and cached; a saved content file is re-read alone,
//! the dossier relinked, and only the pages that can show something
//! different are dropped from the cache. Open pages reload through
//! server-sent events. A change that breaks the build leaves the previous
//! pages served and shows the problems as an overlay.
//!
//! The server answers only requests addressed to a loopback host name (a
//! defence against DNS rebinding), and only for paths the build produced:
//! a request path is never joined to a folder, so it cannot reach a file
//! outside the site. Only this module and its command know HTTP.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use crate::diagnostic::Diagnostic;
use crate::discover::Asset;
use crate::export;
use crate::model::DocKind;
use crate::render::{Renderer, SiteData};
use crate::search;
use crate::site::{Site, is_content_markdown};
use crate::urls::{self, Job, Output};

/// Where the reload script listens. Outside any path a site can publish:
/// slugs cannot start with `_`.
pub const EVENTS_PATH: &str = "/__dossier/events";

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub drafts: bool,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// How long to wait for an editor to finish writing before rebuilding.
    pub debounce: Duration,
}

/// What the server tells the terminal.
#[derive(Debug)]
pub enum Notice {
    Listening(SocketAddr),
    /// A rebuild finished: the problems (empty when clean), how many pages
    /// it dropped from the cache, and how long it took from the save.
    Rebuilt {
        problems: Vec<Diagnostic>,
        stale: usize,
        elapsed: Duration,
    },
    Failed(String),
}

/// One consistent state of the site, as it is served: immutable once made,
/// shared by every request, replaced whole by a rebuild.
struct View {
    site: Arc<Site>,
    data: SiteData,
    /// Output path → index in `site.pages`.
    pages: HashMap<String, usize>,
    /// The exports' output paths.
    exports: HashSet<String>,
    /// Share image path → index in `site.pages` of the page it is drawn for.
    shares: HashMap<String, usize>,
    /// Output path → file copied as it is.
    assets: HashMap<String, Asset>,
    /// Output path of an image or one of its smaller copies → the image,
    /// served as a build publishes it (`site::published_image`).
    images: HashMap<String, Asset>,
    /// Rendered pages and exports, filled on demand.
    cache: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl View {
    /// A view of `site`, reusing what `previous` computed for documents that
    /// did not change.
    fn new(site: Arc<Site>, cache: HashMap<String, Arc<Vec<u8>>>, previous: Option<&View>) -> View {
        let previous = previous.map(|v| (&v.site.graph, &v.data));
        let mut data = SiteData::reusing(
            &site.graph,
            &site.config,
            &site.pages,
            site.map.clone(),
            previous,
        );
        // The exports are made now, as a build makes them before its
        // pages: the data pages give their sizes.
        let generated = crate::site::generated_files(&site);
        data.file_sizes = crate::site::file_sizes(&generated);
        let mut cache = cache;
        for (path, bytes) in generated {
            cache.insert(path, Arc::new(bytes));
        }
        // What the build would publish, from the one list of it.
        let mut pages = HashMap::new();
        let mut exports = HashSet::new();
        let mut shares = HashMap::new();
        let mut assets = HashMap::new();
        for (output, what) in urls::published(&site.pages, site.copies()) {
            match what {
                Output::Page(i) => {
                    pages.insert(output, i);
                }
                Output::Export => {
                    exports.insert(output);
                }
                Output::Share(i) => {
                    shares.insert(output, i);
                }
                Output::Copy(asset) => {
                    // A later copy replaces an earlier one, as when written.
                    assets.insert(output, asset.clone());
                }
            }
        }
        let mut images = HashMap::new();
        for (output, asset) in &assets {
            if crate::images::format_of(output).is_some() {
                for width in crate::site::image_widths(&site, asset) {
                    images.insert(crate::images::variant_path(output, width), asset.clone());
                }
                images.insert(output.clone(), asset.clone());
            }
        }
        assets.retain(|output, _| !images.contains_key(output));
        View {
            site,
            data,
            pages,
            exports,
            shares,
            assets,
            images,
            cache: Mutex::new(cache),
        }
    }

    /// The bytes published at `path`, rendering them if needed.
    fn get(&self, path: &str) -> Result<Option<Arc<Vec<u8>>>, Diagnostic> {
        if let Some(bytes) = self
            .cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
        {
            return Ok(Some(Arc::clone(bytes)));
        }
        let bytes = if let Some(&index) = self.pages.get(path) {
            let Some(tera) = &self.site.tera else {
                return Ok(None);
            };
            let renderer = Renderer {
                tera,
                templates: &self.site.found.templates,
                graph: &self.site.graph,
                config: &self.site.config,
                data: &self.data,
                strings: &self.site.strings,
                history: &self.site.history,
            };
            renderer.render(&self.site.pages[index])?.into_bytes()
        } else if let Some(&index) = self.shares.get(path) {
            let site = &self.site;
            match crate::share::image(&site.graph, &site.config, &site.strings, &site.pages[index])
            {
                Some((_, bytes)) => bytes,
                None => return Ok(None),
            }
        } else if self.exports.contains(path) {
            let mut found = None;
            for (export_path, bytes) in crate::site::generated_files(&self.site) {
                let bytes = Arc::new(bytes);
                if export_path == path {
                    found = Some(Arc::clone(&bytes));
                }
                self.cache
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(export_path, bytes);
            }
            return Ok(found);
        } else if let Some(image) = self.images.get(path) {
            let Ok(published) = crate::site::published_image(&self.site, image) else {
                return Ok(None);
            };
            let mut found = None;
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            for (output, bytes) in published.files {
                let bytes = Arc::new(bytes);
                if output == path {
                    found = Some(Arc::clone(&bytes));
                }
                cache.insert(output, bytes);
            }
            return Ok(found);
        } else if let Some(asset) = self.assets.get(path) {
            if let Some(bytes) = asset.embedded {
                return Ok(Some(Arc::new(bytes.to_vec())));
            }
            // Read when asked, so a large archive is not held in memory;
            // refused if it has since become a link the build refuses.
            return Ok(
                crate::discover::read_bytes(&self.site.root, &asset.absolute)
                    .ok()
                    .map(Arc::new),
            );
        } else {
            return Ok(None);
        };
        let bytes = Arc::new(bytes);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), Arc::clone(&bytes));
        Ok(Some(bytes))
    }
}

impl View {
    /// Renders every document page (filling the cache) and builds the
    /// search bundle from them, as a build does.
    fn search_bundle(&self) -> anyhow::Result<HashMap<String, Arc<Vec<u8>>>> {
        let mut entries = Vec::new();
        for page in &self.site.pages {
            if let Job::Document(_) = page.job
                && let Ok(Some(bytes)) = self.get(&page.output)
                && let Some(entry) = crate::site::search_entry(
                    &self.site.graph,
                    &self.site.config,
                    &self.site.strings,
                    page,
                    &bytes,
                )
            {
                entries.push(entry);
            }
        }
        let bundles = crate::urls::search_bundles(&self.site.pages);
        Ok(search::bundles(entries, bundles)?
            .into_iter()
            .map(|(path, bytes)| (path, Arc::new(bytes)))
            .collect())
    }
}

/// Output paths of what `site` publishes that shows any of `documents`:
/// those documents' pages, every page that is not one document's (lists,
/// taxonomies, timeline, home, print) and the exports; not the copied
/// files, which no document change alters.
fn stale_pages(site: &Site, documents: &[(DocKind, String)], stale: &mut BTreeSet<String>) {
    let wanted: BTreeSet<&(DocKind, String)> = documents.iter().collect();
    for (path, output) in urls::published(&site.pages, site.copies()) {
        let shows = match output {
            Output::Page(i) | Output::Share(i) => match site.pages[i].job {
                Job::Document(id) => {
                    let document = &site.graph.documents[id];
                    document.kind == DocKind::Home
                        || wanted.contains(&(document.kind, document.slug.clone()))
                }
                _ => true,
            },
            Output::Export => true,
            Output::Copy(_) => false,
        };
        if shows {
            stale.insert(path);
        }
    }
}

/// The preview's state, without HTTP or a watcher: what is served, and how
/// a change to the site's files is applied to it. The server and the
/// watcher share one; tests drive one directly.
pub struct Preview {
    view: RwLock<Arc<View>>,
    /// The latest state of the site, possibly with errors; the next change
    /// is applied to it.
    working: Mutex<Site>,
    /// The problems of the latest rebuild, when it failed, as text.
    problems: RwLock<Option<String>>,
    /// The search bundle of the latest view indexed, by output path.
    search: Arc<RwLock<HashMap<String, Arc<Vec<u8>>>>>,
    /// Views waiting to be indexed, read by the indexing thread.
    to_index: Mutex<std::sync::mpsc::Sender<Arc<View>>>,
}

/// What applying a change did.
#[derive(Debug)]
pub enum Applied {
    /// The new pages are served: the problems (warnings only) and how many
    /// pages were dropped from the cache.
    Reloaded {
        problems: Vec<Diagnostic>,
        stale: usize,
    },
    /// The change broke the site: the previous pages are still served.
    Broken(Vec<Diagnostic>),
    /// A failure of the machine, such as a folder that cannot be read.
    Failed(String),
}

impl Preview {
    /// Reads the site at `root` and renders nothing yet: pages are rendered
    /// when first asked for. The search bundle is built in the background.
    pub fn load(root: &Path, drafts: bool) -> anyhow::Result<Arc<Preview>> {
        let mut site = match Site::load(root, drafts)? {
            Ok(site) => site,
            Err(problems) => {
                let text = problems
                    .iter()
                    .map(|p| p.render(false))
                    .collect::<Vec<_>>()
                    .join("\n");
                anyhow::bail!("site.toml cannot be read:\n{text}");
            }
        };
        site.history = Arc::new(crate::history::History::read(&site.root));
        let problems_text = site.has_errors().then(|| problems_text(&site.problems()));
        let view = Arc::new(View::new(Arc::new(site.clone()), HashMap::new(), None));
        let search = Arc::new(RwLock::new(HashMap::new()));
        let to_index = spawn_indexer(Arc::clone(&search));
        let preview = Preview {
            view: RwLock::new(Arc::clone(&view)),
            working: Mutex::new(site),
            problems: RwLock::new(problems_text),
            search,
            to_index: Mutex::new(to_index),
        };
        preview.index(view);
        Ok(Arc::new(preview))
    }

    /// Every problem of the site as it is now.
    pub fn problems(&self) -> Vec<Diagnostic> {
        self.working
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .problems()
    }

    /// The bytes served at an output path, rendering them if needed;
    /// `Err` when the page's template fails on it.
    pub fn get(&self, path: &str) -> Result<Option<Arc<Vec<u8>>>, Diagnostic> {
        if path.starts_with(&format!("{}/", urls::BUNDLE_DIR)) {
            let bundle = self.search.read().unwrap_or_else(|e| e.into_inner());
            return Ok(bundle.get(path).cloned());
        }
        self.current().get(path)
    }

    fn current(&self) -> Arc<View> {
        Arc::clone(&self.view.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn problems_text(&self) -> Option<String> {
        self.problems
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Hands a view to the indexing thread, when the site has search.
    fn index(&self, view: Arc<View>) {
        if cfg!(feature = "search") && view.site.config.build.search && view.site.tera.is_some() {
            let sender = self.to_index.lock().unwrap_or_else(|e| e.into_inner());
            let _ = sender.send(view);
        }
    }

    /// Applies a change: Markdown files alone are re-read and relinked; any
    /// other change (templates, theme, settings, copied files) reloads the
    /// site. `paths` are relative to the site root.
    pub fn apply(&self, paths: &[PathBuf]) -> Applied {
        let only_documents = paths.iter().all(|p| is_content_markdown(p));
        let mut working = self.working.lock().unwrap_or_else(|e| e.into_inner());
        let touched = if only_documents {
            Some(working.update_documents(paths))
        } else {
            let include_drafts = working.include_drafts;
            match Site::load(&working.root, include_drafts) {
                Ok(Ok(mut site)) => {
                    site.history = Arc::clone(&working.history);
                    *working = site;
                    None
                }
                Ok(Err(problems)) => return self.broken(problems),
                Err(error) => return Applied::Failed(format!("{error:#}")),
            }
        };
        let problems = working.problems();
        if working.has_errors() {
            return self.broken(problems);
        }
        let site = Arc::new(working.clone());
        drop(working);
        let old = self.current();
        let (cache, stale) = match &touched {
            Some(documents) => {
                let mut stale = BTreeSet::new();
                stale_pages(&old.site, documents, &mut stale);
                stale_pages(&site, documents, &mut stale);
                let mut cache = old.cache.lock().unwrap_or_else(|e| e.into_inner()).clone();
                cache.retain(|path, _| !stale.contains(path));
                (cache, stale.len())
            }
            None => (HashMap::new(), old.pages.len()),
        };
        let reuse = touched.is_some().then_some(&*old);
        let view = View::new(site, cache, reuse);
        // Render the changed documents' own pages now, so a template that
        // fails on the new text is reported instead of served.
        if touched.is_some() {
            let changed: BTreeSet<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
            for page in &view.site.pages {
                if let Job::Document(id) = page.job
                    && changed.contains(view.site.graph.documents[id].path.as_os_str())
                    && let Err(problem) = view.get(&page.output)
                {
                    return self.broken(vec![problem]);
                }
            }
        }
        let view = Arc::new(view);
        *self.view.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&view);
        *self.problems.write().unwrap_or_else(|e| e.into_inner()) = None;
        self.index(view);
        Applied::Reloaded { problems, stale }
    }

    fn broken(&self, problems: Vec<Diagnostic>) -> Applied {
        *self.problems.write().unwrap_or_else(|e| e.into_inner()) = Some(problems_text(&problems));
        Applied::Broken(problems)
    }
}

/// Starts the thread that builds the search bundle of each view it is
/// handed, newest first: views that arrive while it works are skipped for
/// the latest one. Requests are never kept waiting for it; until a bundle
/// is ready, the previous one (or none) is served. The thread ends when
/// its preview is dropped.
fn spawn_indexer(
    search: Arc<RwLock<HashMap<String, Arc<Vec<u8>>>>>,
) -> std::sync::mpsc::Sender<Arc<View>> {
    let (sender, receiver) = std::sync::mpsc::channel::<Arc<View>>();
    std::thread::spawn(move || {
        while let Ok(mut view) = receiver.recv() {
            while let Ok(newer) = receiver.try_recv() {
                view = newer;
            }
            if let Ok(files) = view.search_bundle() {
                *search.write().unwrap_or_else(|e| e.into_inner()) = files;
            }
        }
    });
    sender
}

struct Shared {
    preview: Arc<Preview>,
    events: broadcast::Sender<Message>,
    /// Event streams open now, at most [`MAX_EVENT_STREAMS`].
    streams: std::sync::atomic::AtomicUsize,
    port: u16,
    bind: IpAddr,
    notify: Box<dyn Fn(Notice) + Send + Sync>,
}

#[derive(Debug, Clone)]
enum Message {
    Reload,
    Problems(String),
}

/// A running server.
pub struct Handle {
    pub addr: SocketAddr,
    pub preview: Arc<Preview>,
    stop: Arc<tokio::sync::Notify>,
    /// Why the server stopped, when it stopped by itself.
    ended: Arc<Mutex<Option<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _watcher: Option<Watcher>,
}

impl Handle {
    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.stop.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Blocks until the server stops (for the command line: until Ctrl-C,
    /// or until the server fails, which is the `Err`).
    pub fn wait(mut self) -> anyhow::Result<()> {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        match self.ended.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(why) => Err(anyhow::anyhow!(why)),
            None => Ok(()),
        }
    }
}

/// What the terminal is told when the server's loop returns: it only
/// returns on a failure, which must not pass in silence.
fn server_ended(result: std::io::Result<()>) -> Option<String> {
    result
        .err()
        .map(|error| format!("the server stopped: {error}"))
}

type Watcher = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Builds the site in memory, starts the server and the watcher. Returns
/// once the server is listening.
pub fn start(
    options: Options,
    notify: impl Fn(Notice) + Send + Sync + 'static,
) -> anyhow::Result<Handle> {
    let preview = Preview::load(&options.root, options.drafts)?;
    let (events, _) = broadcast::channel(16);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind((options.bind, options.port)))?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        preview: Arc::clone(&preview),
        events,
        streams: Default::default(),
        port: addr.port(),
        bind: options.bind,
        notify: Box::new(notify),
    });
    (shared.notify)(Notice::Rebuilt {
        problems: preview.problems(),
        stale: 0,
        elapsed: Duration::ZERO,
    });
    let watcher = watch(&options, Arc::clone(&shared))?;
    let app = Router::new()
        .route(EVENTS_PATH, get(events_stream))
        .fallback(get(serve_path))
        .with_state(Arc::clone(&shared));
    let stop = Arc::new(tokio::sync::Notify::new());
    let ended = Arc::new(Mutex::new(None));
    let thread = {
        let (stop, ended, shared) = (Arc::clone(&stop), Arc::clone(&ended), Arc::clone(&shared));
        std::thread::spawn(move || {
            let server_stop = Arc::clone(&stop);
            runtime.spawn(async move {
                if let Some(why) = server_ended(serve_connections(listener, app).await) {
                    (shared.notify)(Notice::Failed(why.clone()));
                    *ended.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
                    server_stop.notify_one();
                }
            });
            // Open event streams never end by themselves: stopping drops
            // every task instead of waiting for them.
            runtime.block_on(stop.notified());
            runtime.shutdown_background();
        })
    };
    (shared.notify)(Notice::Listening(addr));
    Ok(Handle {
        addr,
        preview,
        stop,
        ended,
        thread: Some(thread),
        _watcher: Some(watcher),
    })
}

/// The connections open now, oldest first, so that a newer one can take
/// the place of one that has said nothing yet.
#[derive(Default)]
struct Connections(Mutex<VecDeque<Arc<Connection>>>);

/// One open connection, shared by its task and [`Connections`].
#[derive(Default)]
struct Connection {
    /// Whether the client has sent a byte.
    spoke: AtomicBool,
    /// Closes the connection, to make room for a newer one.
    close: tokio::sync::Notify,
}

impl Connections {
    /// Admits one more connection: past [`MAX_CONNECTIONS`], the oldest that
    /// has said nothing is closed for it, so idle connections cannot lock
    /// out a browser that asks for a page. `None` when every connection is
    /// in use.
    fn admit(&self) -> Option<Arc<Connection>> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // A finished connection's task has dropped its share.
        open.retain(|c| Arc::strong_count(c) > 1);
        if open.len() >= MAX_CONNECTIONS {
            let silent = open.iter().position(|c| !c.spoke.load(Ordering::SeqCst))?;
            if let Some(oldest) = open.remove(silent) {
                oldest.close.notify_one();
            }
        }
        let connection = Arc::new(Connection::default());
        open.push_back(Arc::clone(&connection));
        Some(connection)
    }
}

/// Accepts connections and serves each on its own task, at most
/// [`MAX_CONNECTIONS`] at once. A failed accept (no file left to open) is
/// tried again after a pause, as axum's own loop does: the loop does not
/// end by itself.
async fn serve_connections(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    let connections = Connections::default();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                ) =>
            {
                continue;
            }
            Err(_) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        // Dropped, the stream is closed: no place is left.
        if let Some(connection) = connections.admit() {
            tokio::spawn(serve_connection(stream, connection, app.clone()));
        }
    }
}

/// Serves one connection once it has said something within
/// [`HEADER_TIMEOUT`]; each request's headers must then arrive within it.
async fn serve_connection(stream: tokio::net::TcpStream, connection: Arc<Connection>, app: Router) {
    let mut first = [0u8; 1];
    let spoke = tokio::select! {
        read = tokio::time::timeout(HEADER_TIMEOUT, stream.peek(&mut first)) => {
            matches!(read, Ok(Ok(n)) if n > 0)
        }
        () = connection.close.notified() => false,
    };
    if !spoke {
        return;
    }
    connection.spoke.store(true, Ordering::SeqCst);
    let serving = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(
            hyper_util::rt::TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(app),
        );
    // A connection that fails ends alone; the others go on.
    let _ = serving.await;
}

fn problems_text(problems: &[Diagnostic]) -> String {
    problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.render(false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Watches what a build reads and rebuilds on change.
fn watch(options: &Options, shared: Arc<Shared>) -> anyhow::Result<Watcher> {
    use notify_debouncer_full::notify::RecursiveMode;
    let root = std::fs::canonicalize(&options.root)?;
    let (sender, receiver) = std::sync::mpsc::channel();
    // Links are never followed: every link the build accepts points into
    // a folder watched here already (`content/`, `static/`, `templates/`,
    // `themes/`), and one it refuses may lead anywhere
    // (a link to `/usr` would add a watch for each of its folders).
    let mut debouncer = notify_debouncer_full::new_debouncer_opt(
        options.debounce,
        None,
        sender,
        notify_debouncer_full::RecommendedCache::new(),
        notify_debouncer_full::notify::Config::default().with_follow_symlinks(false),
    )?;
    // All of `themes/`, not only the site's theme: the themes it extends,
    // and any a link points into, are read too.
    for dir in [
        root.join("content"),
        root.join("themes"),
        root.join("templates"),
        root.join("static"),
        root.join("i18n"),
        root.join("data"),
        root.join(crate::glossary::FOLDER),
    ] {
        if dir.is_dir() && may_watch(&root, &dir) {
            debouncer.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    std::thread::spawn(move || {
        for result in receiver {
            let Ok(events) = result else { continue };
            let saved = Instant::now();
            let mut paths: BTreeSet<PathBuf> = BTreeSet::new();
            for event in events {
                if event.kind.is_access() {
                    continue;
                }
                for path in &event.paths {
                    if let Ok(relative) = path.strip_prefix(&root) {
                        paths.insert(relative.to_path_buf());
                    }
                }
            }
            let paths: Vec<PathBuf> = paths.into_iter().filter(|p| is_watched(p)).collect();
            if !paths.is_empty() {
                rebuild(&shared, &paths, saved);
            }
        }
    });
    Ok(debouncer)
}

/// Whether the folder `dir` of the site at `root` (canonical) may be
/// watched: it is where it seems to be, or a link the build follows.
fn may_watch(root: &Path, dir: &Path) -> bool {
    std::fs::canonicalize(dir)
        .is_ok_and(|real| real == dir || crate::discover::link_target_allowed(root, &real))
}

/// Whether a change at `path` (relative to the site root) can change the
/// site: the output folder and editors' temporary files cannot.
fn is_watched(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return false;
    }
    let first = path
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    matches!(
        first.as_str(),
        "content" | "themes" | "templates" | "static" | "i18n" | "data" | crate::glossary::FOLDER
    ) || path == Path::new(crate::config::FILE_NAME)
}

/// Applies a change and tells open pages and the terminal.
fn rebuild(shared: &Shared, paths: &[PathBuf], saved: Instant) {
    match shared.preview.apply(paths) {
        Applied::Reloaded { problems, stale } => {
            let _ = shared.events.send(Message::Reload);
            (shared.notify)(Notice::Rebuilt {
                problems,
                stale,
                elapsed: saved.elapsed(),
            });
        }
        Applied::Broken(problems) => {
            let _ = shared
                .events
                .send(Message::Problems(problems_text(&problems)));
            (shared.notify)(Notice::Rebuilt {
                problems,
                stale: 0,
                elapsed: saved.elapsed(),
            });
        }
        Applied::Failed(message) => (shared.notify)(Notice::Failed(message)),
    }
}

/// How many connections are held open at once: far more than a browser
/// opens (a few per tab, and each tab's event stream), far fewer than the
/// files a process may open.
pub const MAX_CONNECTIONS: usize = 256;

/// How long a connection may say nothing, or take to send a request's
/// headers, before it is closed: from when it opens, and again after each
/// answer.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How many event streams (open preview tabs) are served at once; more get
/// 503, so a page cannot exhaust the server by opening streams.
pub const MAX_EVENT_STREAMS: usize = 64;

/// Counts an open event stream; dropped with the stream.
struct StreamSlot(Arc<Shared>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0
            .streams
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A request is answered only in origin form (`GET /path`: an absolute-form
/// target names a host, as a proxy request would) and with exactly one
/// `Host` header, naming this computer.
fn request_allowed(headers: &HeaderMap, uri: &Uri, shared: &Shared) -> bool {
    uri.scheme().is_none()
        && uri.authority().is_none()
        && headers.get_all(header::HOST).iter().count() == 1
        && host_allowed(headers, shared)
}

/// Where a request for a folder without its final `/` is sent: built from
/// the normalised output path, so it always starts with exactly one `/`
/// (never `//host/…`, which a browser reads as another host), and
/// percent-encoded.
pub fn folder_redirect(output: &str) -> String {
    let trimmed = output.trim_matches('/');
    format!(
        "/{}/",
        percent_encoding::utf8_percent_encode(trimmed, crate::images::PATH_ESCAPES)
    )
}

/// Only loopback host names are answered: a page on another site that
/// resolves its own name to 127.0.0.1 (DNS rebinding) gets nothing.
fn host_allowed(headers: &HeaderMap, shared: &Shared) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let port = shared.port.to_string();
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p)) if !name.is_empty() && !p.contains(']') => (name, Some(p)),
        _ => (host, None),
    };
    if host_port.is_some_and(|p| p != port) {
        return false;
    }
    let mut allowed = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "[::1]".to_string(),
    ];
    if !shared.bind.is_loopback() && !shared.bind.is_unspecified() {
        allowed.push(match shared.bind {
            IpAddr::V6(v6) => format!("[{v6}]"),
            IpAddr::V4(v4) => v4.to_string(),
        });
    }
    allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        "This server only answers requests for localhost.\n",
    )
        .into_response()
}

async fn events_stream(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if !request_allowed(&headers, &uri, &shared) {
        return forbidden();
    }
    let open = shared
        .streams
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let slot = StreamSlot(Arc::clone(&shared));
    if open >= MAX_EVENT_STREAMS {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many preview tabs are open; close some and reload.\n",
        )
            .into_response();
    }
    let receiver = shared.events.subscribe();
    let stream = BroadcastStream::new(receiver).filter_map(move |message| {
        let _slot = &slot;
        let event = match message.ok()? {
            Message::Reload => Event::default().event("reload").data("reload"),
            Message::Problems(text) => Event::default()
                .event("problems")
                .data(serde_json::to_string(&text).unwrap_or_default()),
        };
        Some(Ok::<Event, std::convert::Infallible>(event))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Turns a request path into an output path, or `None` for anything that
/// could name a place outside the site: the path is percent-decoded once,
/// and segments `.`, `..`, or holding `\`, `:` or NUL are refused.
pub fn output_path(raw: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', ':', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return None,
            s => segments.push(s),
        }
    }
    let mut path = segments.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Content types by extension, from a fixed table; anything else is bytes.
fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        // The web editor's configuration (static/admin/config.yml).
        "yml" | "yaml" => "text/yaml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

async fn serve_path(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    if !request_allowed(&headers, &uri, &shared) {
        return forbidden();
    }
    let preview = &shared.preview;
    let problems = preview.problems_text();
    let Some(path) = output_path(uri.path()) else {
        return not_found(preview, problems.as_deref());
    };
    match preview.get(&path) {
        // A file copied as it is (the web editor's page among them) is
        // served as it is: reloaded at every change of the site, the editor
        // would lose what is being typed, and the overlay would cover it.
        Ok(Some(bytes)) if preview.current().assets.contains_key(&path) => {
            let from_content = preview.current().assets[&path].path.starts_with("content");
            respond_as_is(&path, &bytes, from_content)
        }
        Ok(Some(bytes)) => respond(StatusCode::OK, &path, &bytes, problems.as_deref()),
        Ok(None) => {
            // `/incidents/x` → `/incidents/x/`, so relative links resolve.
            if !path.ends_with("index.html")
                && preview
                    .current()
                    .pages
                    .contains_key(&format!("{path}/index.html"))
            {
                let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
                if let Ok(location) = HeaderValue::from_str(&folder_redirect(&path)) {
                    response.headers_mut().insert(header::LOCATION, location);
                }
                return response;
            }
            not_found(preview, problems.as_deref())
        }
        Err(problem) => {
            let text = problem.render(false);
            respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.html",
                &error_page(&text),
                Some(&text),
            )
        }
    }
}

fn not_found(preview: &Preview, problems: Option<&str>) -> Response {
    match preview.get("404.html") {
        Ok(Some(bytes)) => respond(StatusCode::NOT_FOUND, "404.html", &bytes, problems),
        _ => respond(StatusCode::NOT_FOUND, "404.txt", b"Not found\n", problems),
    }
}

fn error_page(text: &str) -> Vec<u8> {
    format!("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build problem</title></head><body><pre>{}</pre></body></html>", export::xml(text)).into_bytes()
}

/// The reload script, and the overlay for the problems of a failed
/// rebuild. Problems arrive as JSON text and are shown with `textContent`,
/// so a file name holding markup stays text.
const LIVE_SCRIPT: &str = r#"<script>(function(){
var id="__dossier_problems";
function show(text){var o=document.getElementById(id);if(!o){o=document.createElement("pre");o.id=id;o.setAttribute("role","alert");o.style.cssText="position:fixed;inset:0;margin:0;padding:1.5rem;overflow:auto;background:#fff;color:#000;border:6px solid #b00020;z-index:2147483647;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap";document.body.appendChild(o);}o.textContent=text;}
var events=new EventSource("/__dossier/events");
events.addEventListener("reload",function(){location.reload();});
events.addEventListener("problems",function(e){show(JSON.parse(e.data));});
})();</script>"#;

fn respond(status: StatusCode, path: &str, bytes: &[u8], problems: Option<&str>) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        let html = String::from_utf8_lossy(bytes);
        let mut injected = String::new();
        if let Some(problems) = problems {
            injected.push_str("<pre id=\"__dossier_problems\" role=\"alert\" style=\"position:fixed;inset:0;margin:0;padding:1.5rem;overflow:auto;background:#fff;color:#000;border:6px solid #b00020;z-index:2147483647;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap\">");
            injected.push_str(&export::xml(problems));
            injected.push_str("</pre>");
        }
        injected.push_str(LIVE_SCRIPT);
        let at = html.rfind("</body>").unwrap_or(html.len());
        let mut out = String::with_capacity(html.len() + injected.len());
        out.push_str(&html[..at]);
        out.push_str(&injected);
        out.push_str(&html[at..]);
        // The page's policy again, now allowing the reload script too; a
        // page without one gets none.
        if crate::csp::has_policy(&html) {
            Body::from(crate::csp::apply(&out))
        } else {
            Body::from(out)
        }
    } else {
        Body::from(bytes.to_vec())
    };
    with_headers(status, kind, body)
}

/// A copied file, as it is. One from `content/` of a type a browser runs
/// (published only under `[build] active_attachments = "publish"`) is
/// sandboxed: opened, it runs no script and reaches nothing of the site's
/// origin, where the web editor keeps its login.
fn respond_as_is(path: &str, bytes: &[u8], from_content: bool) -> Response {
    let mut response = with_headers(
        StatusCode::OK,
        content_type(path),
        Body::from(bytes.to_vec()),
    );
    if from_content && crate::trust::is_active_type(path) {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox"),
        );
    }
    response
}

fn with_headers(status: StatusCode, kind: &'static str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        assert_eq!(output_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            output_path("/incidents/x/").as_deref(),
            Some("incidents/x/index.html")
        );
        assert_eq!(output_path("/style.css").as_deref(), Some("style.css"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/x",
            "/a/..%5cb",
            "/a%00b",
            "/c:/x",
            "/./x",
        ] {
            assert_eq!(output_path(bad), None, "{bad}");
        }
        // Decoded once: a double-encoded dot stays a literal name.
        assert_eq!(output_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn content_types_come_from_a_fixed_table() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.PDF"), "application/pdf");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }

    #[test]
    fn a_server_that_stops_by_itself_says_why() {
        assert_eq!(server_ended(Ok(())), None);
        let why = server_ended(Err(std::io::Error::other("too many open files"))).unwrap();
        assert_eq!(why, "the server stopped: too many open files");
    }

    #[test]
    fn watches_what_a_build_reads() {
        assert!(is_watched(Path::new("content/incidents/x.md")));
        assert!(is_watched(Path::new("site.toml")));
        assert!(is_watched(Path::new("glossary/ar.toml")));
        // `dossier geography` rewrites the map while a preview runs.
        assert!(is_watched(Path::new("data/geography.json")));
        assert!(!is_watched(Path::new("public/index.html")));
        assert!(!is_watched(Path::new("content/.x.md.swp")));
    }
}
