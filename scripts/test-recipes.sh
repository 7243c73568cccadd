#!/usr/bin/env bash
# Runs the publishing recipes of README.md as they are written, so that the
# README and what works cannot drift apart. A recipe is the ```sh block
# after a line `<!-- recipe: NAME -->`; each runs with bash -e in a fresh
# git repository holding a new dossier, with `dossier` on PATH and a bare
# repository as its `origin`. Only `/media/usb` (where a USB stick is
# mounted) is replaced, by a temporary folder.
#
# Environment:
#   DOSSIER_BIN=FILE   the dossier binary (default: built with cargo)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'test-recipes: %s\n' "$*" >&2; }

if [ -z "${DOSSIER_BIN:-}" ]; then
  (cd "$root" && cargo build --quiet)
  DOSSIER_BIN="$root/target/debug/dossier"
fi
bin_dir="$(mktemp -d)"
work="$(mktemp -d)"
trap 'rm -rf "$bin_dir" "$work"' EXIT
ln -s "$(cd "$(dirname "$DOSSIER_BIN")" && pwd)/$(basename "$DOSSIER_BIN")" "$bin_dir/dossier"
export PATH="$bin_dir:$PATH"
export GIT_AUTHOR_NAME=dossier GIT_AUTHOR_EMAIL=dossier@example.org
export GIT_COMMITTER_NAME=dossier GIT_COMMITTER_EMAIL=dossier@example.org

# The lines of the recipe NAME in README.md.
recipe() {
  awk -v name="$1" '
    $0 == "<!-- recipe: " name " -->" { found = 1; next }
    found && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
  ' "$root/README.md"
}

# Runs the recipe NAME in the folder DIR; fails if README.md has none.
run_recipe() {
  local name="$1" dir="$2" lines
  lines="$(recipe "$name")"
  if [ -z "$lines" ]; then
    say "README.md has no recipe named $name"
    exit 1
  fi
  (cd "$dir" && bash -e -c "${lines//\/media\/usb/$work/usb}")
}

passed=0
failed=0
check() {
  local what="$1"
  shift
  if "$@"; then
    say "ok: $what"
    passed=$((passed + 1))
  else
    say "FAILED: $what"
    failed=$((failed + 1))
  fi
}

# A dossier in a fresh repository, pushed to a bare `origin`.
git init -q --bare -b main "$work/origin.git"
dossier init "$work/mysite" --host none 2>/dev/null
git -C "$work/mysite" init -q -b main
git -C "$work/mysite" add -A
git -C "$work/mysite" commit -q -m "Start the dossier"
git -C "$work/mysite" remote add origin "$work/origin.git"
git -C "$work/mysite" push -q origin main

gh_pages_first_time() {
  run_recipe gh-pages-first-time "$work/mysite" &&
    run_recipe gh-pages-publish "$work/mysite" &&
    git -C "$work/origin.git" cat-file -e gh-pages:index.html &&
    git -C "$work/origin.git" cat-file -e gh-pages:.nojekyll &&
    # Published again after a change: the worktree's .git stays.
    printf '\nA new paragraph. {.editorial}\n' >> "$work/mysite/content/about.md" &&
    run_recipe gh-pages-publish "$work/mysite" &&
    [ "$(git -C "$work/origin.git" rev-list --count gh-pages)" -eq 2 ]
}
check "gh-pages on a repository with no gh-pages branch, published twice" gh_pages_first_time

gh_pages_other_computer() {
  # Another computer: its own folder, so its ../gh-pages is its own.
  mkdir "$work/other" &&
    git clone -q "$work/origin.git" "$work/other/mysite" &&
    run_recipe gh-pages-other-computer "$work/other/mysite" &&
    printf '\nAnother paragraph. {.editorial}\n' >> "$work/other/mysite/content/about.md" &&
    run_recipe gh-pages-publish "$work/other/mysite" &&
    [ "$(git -C "$work/origin.git" rev-list --count gh-pages)" -eq 3 ]
}
check "gh-pages from a second clone, where the branch exists" gh_pages_other_computer

sub_path() {
  run_recipe sub-path "$work/mysite" &&
    grep -q '<loc>https://USER.github.io/REPO/incidents/example-incident/</loc>' "$work/mysite/public/sitemap.xml" &&
    ! grep -q 'href="/' "$work/mysite/public/incidents/example-incident/index.html"
}
check "a sub-path with --base-url" sub_path

usb_stick() {
  mkdir "$work/usb" &&
    run_recipe usb-stick "$work/mysite" &&
    [ -f "$work/usb/my-dossier/index.html" ] &&
    [ -f "$work/usb/my-dossier/incidents/example-incident/index.html" ]
}
check "a USB stick" usb_stick

echo "recipes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
