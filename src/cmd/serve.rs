//! `dossier serve`: preview the site on this computer, rebuilt on every save.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use dossier::serve::{self, Notice};

#[derive(clap::Args)]
pub struct Args {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Listen on another address than 127.0.0.1. Anyone who can reach that
    /// address can read the site, drafts included.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Show documents marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}, not only on this computer: anyone who can reach it can read the site, drafts included",
            args.bind
        );
    }
    let color = crate::use_color();
    let handle = serve::start(
        serve::Options {
            root: args.root,
            drafts: args.drafts,
            bind: args.bind,
            port: args.port,
            debounce: Duration::from_millis(20),
        },
        move |notice| match notice {
            Notice::Listening(addr) => {
                let host = if addr.ip().is_loopback() {
                    "localhost".to_string()
                } else {
                    addr.ip().to_string()
                };
                eprintln!(
                    "serve: the site is at http://{host}:{}/ (Ctrl-C to stop)",
                    addr.port()
                );
            }
            Notice::Rebuilt {
                problems,
                stale,
                elapsed,
            } => {
                for problem in &problems {
                    eprintln!("{}\n", problem.render(color));
                }
                let errors = problems.iter().filter(|p| p.is_error()).count();
                if errors > 0 {
                    eprintln!(
                        "serve: {errors} error(s); the pages from before the change are still served"
                    );
                } else if stale > 0 {
                    eprintln!(
                        "serve: rebuilt in {} ms; {stale} page(s) refreshed",
                        elapsed.as_millis()
                    );
                }
            }
            Notice::Failed(message) => eprintln!("serve: {message}"),
        },
    )?;
    if args.open {
        open_browser(&format!("http://localhost:{}/", handle.addr.port()));
    }
    handle.wait()?;
    Ok(ExitCode::SUCCESS)
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("serve: could not open a browser; visit {url}");
    }
}
