//! The default theme, built into the binary: `dossier init` copies it into
//! new sites, and a site with no `themes/default/` folder uses it as it is.

/// The name under which the built-in theme is found.
pub const DEFAULT_NAME: &str = "default";

static DEFAULT: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every file of the built-in theme: its path inside the theme (with `/`)
/// and its bytes, sorted by path.
pub fn files() -> Vec<(String, &'static [u8])> {
    let mut files = Vec::new();
    collect(&DEFAULT, &mut files);
    files.sort();
    files
}

fn collect(dir: &'static include_dir::Dir<'static>, files: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        files.push((
            file.path().to_string_lossy().replace('\\', "/"),
            file.contents(),
        ));
    }
    for sub in dir.dirs() {
        collect(sub, files);
    }
}
