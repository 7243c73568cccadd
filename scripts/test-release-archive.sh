#!/usr/bin/env bash
# Packs the release binary as the release workflow publishes it for Linux
# (dossier-x86_64-unknown-linux-gnu.tar.xz: a folder holding dossier,
# README.md and the licences, with a .sha256 beside it), then installs it
# as a user would: checks the checksum, extracts it into an empty folder
# and, with no Rust on PATH and an empty environment, starts a dossier
# with `dossier init --host github` and builds it, which must give no
# warning. It prints the binary's size.
#
# Environment:
#   DOSSIER_BIN=FILE   the release binary (default: cargo build --release)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'test-release-archive: %s\n' "$*" >&2; }

if [ -z "${DOSSIER_BIN:-}" ]; then
  (cd "$root" && cargo build --release --quiet)
  DOSSIER_BIN="$root/target/release/dossier"
fi
say "binary: $(stat -c %s "$DOSSIER_BIN") bytes"

name=dossier-x86_64-unknown-linux-gnu
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pack/$name" "$work/release" "$work/user"
cp "$DOSSIER_BIN" "$work/pack/$name/dossier"
cp "$root/README.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$work/pack/$name/"
tar -cJf "$work/release/$name.tar.xz" -C "$work/pack" "$name"
(cd "$work/release" && sha256sum "$name.tar.xz" > "$name.tar.xz.sha256")
say "archive: $(stat -c %s "$work/release/$name.tar.xz") bytes"

cd "$work/user"
cp "$work/release/$name.tar.xz" "$work/release/$name.tar.xz.sha256" .
sha256sum --check "$name.tar.xz.sha256"
tar -xJf "$name.tar.xz"
# Nothing from this machine's environment: no cargo, no rustc, no HOME.
run() { env -i PATH=/usr/bin:/bin HOME="$work/user" "$@"; }
if run sh -c 'command -v cargo || command -v rustc'; then
  say "Rust is on /usr/bin:/bin; the test would not show the archive needs none"
  exit 1
fi
run "./$name/dossier" --version
run "./$name/dossier" init mysite --host github
log="$(cd mysite && run "../$name/dossier" build 2>&1)"
printf '%s\n' "$log"
case "$log" in
  *"0 errors, 0 warnings"*) say "ok: installed, started and built with no warning" ;;
  *) say "FAILED: the build had errors or warnings"; exit 1 ;;
esac
[ -f mysite/.github/workflows/publish.yml ] && [ -f mysite/public/index.html ]
