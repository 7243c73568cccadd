#!/usr/bin/env bash
# The per-page cost budget: how many instructions a build spends per page,
# counted by valgrind's callgrind over a small generated dossier, against
# the budget committed in benches/page-budget.txt. Instructions, unlike
# seconds, do not depend on how loaded the machine is, so CI can hold the
# budget: a change that makes pages more than 10 % more expensive fails here
# with the figure, and one that makes them cheaper says so (lower the
# budget with --update, in the same commit).
#
# Usage: benches/page_budget.sh [--update]
# Environment: DOSSIER_BIN (default target/release/dossier, which
# `cargo build --release` makes), PAGE_BUDGET_INCIDENTS (default 200).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
budget_file="$root/benches/page-budget.txt"
bin="${DOSSIER_BIN:-$root/target/release/dossier}"
incidents="${PAGE_BUDGET_INCIDENTS:-200}"
tolerance=10

say() { printf 'page-budget: %s\n' "$*" >&2; }

if ! command -v valgrind >/dev/null 2>&1; then
  say "installing Debian's valgrind"
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends valgrind
  else
    say "valgrind is needed (apt-get install valgrind)"
    exit 1
  fi
fi
if [ ! -x "$bin" ]; then
  say "building $bin: cargo build --release"
  (cd "$root" && cargo build --release)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$root/benches/gen_corpus.py" "$incidents" "$work/corpus" >/dev/null
site="$work/corpus/dossier"

# One thread, so the count is the same whatever the machine's cores; the
# output goes to a folder of its own, and the summary line gives the pages.
log="$work/callgrind.log"
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
  "$bin" build --root "$site" --output "$work/public" >"$work/build.log" 2>"$log" || {
  say "the build under valgrind failed:"
  cat "$work/build.log" "$log" >&2
  exit 1
}
instructions="$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\).*/\1/p' "$log" | tail -n 1)"
pages="$(sed -n 's/^build: \([0-9]*\) pages.*/\1/p' "$work/build.log" "$log" | tail -n 1)"
if [ -z "$instructions" ] || [ -z "$pages" ] || [ "$pages" -eq 0 ]; then
  say "could not read the instruction count or the page count:"
  cat "$work/build.log" "$log" >&2
  exit 1
fi
per_page=$((instructions / pages))
say "$incidents incidents: $pages pages, $instructions instructions, $per_page per page"

if [ "${1:-}" = "--update" ]; then
  printf '%s\n' "$per_page" >"$budget_file"
  say "budget set to $per_page instructions per page in benches/page-budget.txt"
  exit 0
fi
budget="$(tr -d '[:space:]' <"$budget_file")"
limit=$((budget + budget * tolerance / 100))
if [ "$per_page" -gt "$limit" ]; then
  say "FAILED: $per_page instructions per page, over the budget of $budget by more than $tolerance % ($(( (per_page - budget) * 100 / budget )) %)"
  say "make the change cheaper, or, if the cost is worth it, raise the budget with --update and say why in the commit"
  exit 1
fi
if [ "$per_page" -lt $((budget - budget * tolerance / 100)) ]; then
  say "pages are cheaper than the budget of $budget by more than $tolerance %: lower it with --update"
fi
say "within the budget of $budget instructions per page (+$tolerance %)"
