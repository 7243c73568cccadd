#!/usr/bin/env bash
# The browser test suite, separate from `cargo test`: one command that
#   1. installs what it needs if missing (scripts/install-test-tools.sh:
#      Debian's chromium, and the npm packages of tests/browser exactly as
#      package-lock.json pins them),
#   2. builds the shipped site into public/ (`cargo run --release -- build`),
#   3. runs tests/browser/*.test.mjs with node's test runner against it
#      (cms.test.mjs also starts `dossier serve` and decap-server on
#      127.0.0.1, port 8081, against a temporary site).
# It exits non-zero on any failure. Screenshots go to tests/browser/artifacts/.
#
# Environment:
#   SKIP_BUILD=1         do not build; test the site as it is
#   DOSSIER_PUBLIC=DIR   test DIR instead of public/ at the repo root
#   CHROMIUM_PATH=FILE   another Chromium binary (default /usr/bin/chromium)
#   DOSSIER_BIN=FILE     the dossier binary (default target/release/dossier)
#
# To try the suite itself on a tiny site:
#   node tests/browser/lib/fixture.mjs /tmp/site [BREAKAGE]
#   SKIP_BUILD=1 DOSSIER_PUBLIC=/tmp/site scripts/browser-test.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="$root/tests/browser"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"

say() { printf 'browser-test: %s\n' "$*" >&2; }

"$root/scripts/install-test-tools.sh"

if [ "${SKIP_BUILD:-}" = "1" ]; then
  say "SKIP_BUILD=1: not building the site"
else
  say "building the site: cargo run --release -- build"
  (cd "$root" && cargo run --release -- build)
fi

DOSSIER_PUBLIC="$(cd "$root" && realpath -m "${DOSSIER_PUBLIC:-public}")"
export DOSSIER_PUBLIC
export CHROMIUM_PATH="$chromium"
# cms.test.mjs runs the binary itself (`dossier cms`, `dossier serve`).
export DOSSIER_BIN="${DOSSIER_BIN:-$root/target/release/dossier}"
say "testing $DOSSIER_PUBLIC"

cd "$suite"
node lib/summary.mjs --clear
# Screenshots of an earlier run go; each test file writes its own.
mkdir -p artifacts
rm -f artifacts/*.png
status=0
node --test --test-reporter=spec ./*.test.mjs || status=$?
node lib/summary.mjs
if [ "$status" -ne 0 ]; then
  say "FAILED (node --test exited $status); screenshots in tests/browser/artifacts/"
else
  say "passed; screenshots in tests/browser/artifacts/"
fi
exit "$status"
