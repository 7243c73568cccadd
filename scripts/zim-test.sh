#!/usr/bin/env bash
# The Kiwix edition, checked with the openZIM project's own tools:
#   1. installs Debian's zim-tools (zimwriterfs, zimcheck) and kiwix-tools
#      (kiwix-serve) if missing (scripts/install-test-tools.sh, which also
#      installs the browser suite's Chromium and npm packages),
#   2. writes the shipped dossier's ZIM (`dossier zim`) into a temporary
#      folder, and prints its size and how long packing took,
#   3. runs `zimcheck -A` on it, which must pass (its report also goes to
#      tests/browser/artifacts/zimcheck.txt),
#   4. serves it with kiwix-serve on 127.0.0.1 only and runs
#      tests/browser/kiwix/*.test.mjs against it: Chromium opens the main
#      page, an Arabic incident, the search page, and searches with Kiwix's
#      full-text index in English and Arabic (screenshots in
#      tests/browser/artifacts/kiwix-*.png).
# Environment:
#   DOSSIER_BIN=FILE     the dossier binary (default target/release/dossier,
#                        built if missing)
#   CHROMIUM_PATH=FILE   another Chromium binary (default /usr/bin/chromium)
#   KIWIX_PORT=N         kiwix-serve's port (default 8082)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="$root/tests/browser"
port="${KIWIX_PORT:-8082}"

say() { printf 'zim-test: %s\n' "$*" >&2; }

"$root/scripts/install-test-tools.sh"

dossier="${DOSSIER_BIN:-$root/target/release/dossier}"
if [ ! -x "$dossier" ]; then
  say "building the release binary: cargo build --release"
  (cd "$root" && cargo build --release)
fi

work="$(mktemp -d)"
server=""
# kiwix-serve is stopped by its process id, the one this script started.
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

zim="$work/dossier.zim"
say "writing the shipped dossier's ZIM: dossier zim"
started="$(date +%s%N)"
(cd "$root" && "$dossier" zim "$zim" --timings)
finished="$(date +%s%N)"
say "ZIM: $(stat -c %s "$zim") bytes; dossier zim took $(( (finished - started) / 1000000 )) ms"

mkdir -p "$suite/artifacts"
say "zimcheck -A"
if ! zimcheck -A "$zim" > "$suite/artifacts/zimcheck.txt" 2>&1; then
  cat "$suite/artifacts/zimcheck.txt" >&2
  say "FAILED: zimcheck found problems in the ZIM"
  exit 1
fi
grep -E 'Overall Test Status|WARNING|ERROR' "$suite/artifacts/zimcheck.txt" >&2 || true

say "serving it: kiwix-serve on 127.0.0.1:$port"
kiwix-serve --address=127.0.0.1 --port="$port" "$zim" >"$work/kiwix-serve.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    cat "$work/kiwix-serve.log" >&2
    say "kiwix-serve stopped"
    exit 1
  fi
  sleep 0.2
done

export KIWIX_URL="http://127.0.0.1:$port"
export KIWIX_BOOK="dossier"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
cd "$suite"
status=0
node --test --test-reporter=spec kiwix/*.test.mjs || status=$?
if [ "$status" -ne 0 ]; then
  say "FAILED (node --test exited $status); screenshots in tests/browser/artifacts/kiwix-*.png"
else
  say "passed; screenshots in tests/browser/artifacts/kiwix-*.png"
fi
exit "$status"
