#!/usr/bin/env bash
# Installs what the suites beyond `cargo test` need, each only if missing:
# Debian's chromium, shellcheck, zim-tools, kiwix-tools and valgrind (one
# apt-get run for all that are missing), and the npm packages of
# tests/browser exactly as package-lock.json pins them (`npm ci`, again only
# when the lock file changed). scripts/browser-test.sh and
# scripts/zim-test.sh call it; .ci/run also starts it at the beginning,
# beside the lints, so that the downloads overlap the compiling.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="$root/tests/browser"

say() { printf 'install-test-tools: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "root is needed to run: $*"
    exit 1
  fi
}

# Each package, with the program that shows it is installed.
missing=()
for pair in chromium:"${CHROMIUM_PATH:-/usr/bin/chromium}" shellcheck:shellcheck \
  zim-tools:zimwriterfs zim-tools:zimcheck kiwix-tools:kiwix-serve valgrind:valgrind; do
  package="${pair%%:*}"
  program="${pair#*:}"
  if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "$program" ]; then
    case " ${missing[*]-} " in
      *" $package "*) ;;
      *) missing+=("$package") ;;
    esac
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian's ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "node and npm are needed (Node.js 20 or later)"
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or later is needed, this is $(node --version)"
  exit 1
fi

# `npm ci` again only when package-lock.json changed since the last install.
stamp="$suite/node_modules/.browser-test-lock.sha256"
lock_sum="$(sha256sum "$suite/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing npm packages (npm ci in tests/browser)"
  (cd "$suite" && npm ci --no-audit --no-fund)
  printf '%s\n' "$lock_sum" > "$stamp"
fi
