#!/usr/bin/env bash
# Benchmark a cold `dossier build` against Hugo, and against Hugo followed
# by the Pagefind CLI, on the same generated corpus.
#
# Usage: benches/run.sh [--quick] [N...]
#   N...     incident counts to measure (default: 1000 10000 100000)
#   --quick  smoke test: N=1000 only, one run of each measurement
#   RUNS=k   environment: runs per measurement (default 3; the median is shown)
#   LARGE_RUNS=k  environment: runs per measurement for N >= 100000 (default 1)
#   MEM_LIMIT_MIB=m  environment: address-space limit for each measured
#            command (default 85% of RAM), so a runaway build fails alone
#            instead of waking the OOM killer on a shared machine
#   KEEP=1   environment: keep the temporary work directory
#   DOSSIER_BIN=path  environment: measure this dossier binary instead of
#            building the repository's (to compare two versions)
#   THEME=dir  environment: the theme copied into the corpus (default: the
#            repository's themes/default; give the one that binary ships)
#
# For each N, in the same run: the corpus is generated under /tmp (never in the
# repository), then each of these is run RUNS times, interleaved (one of each
# in turn), each into a fresh output directory, and the median wall time and
# peak RSS are reported:
#   dossier build                       (the shipped configuration: search on)
#   dossier build, [build] search = false
#   hugo --quiet
#   hugo --quiet && pagefind --site <hugo output>   (one measured command)
#   cp -r <dossier output> <dir>        (the file-system floor)
# Page caches cannot be dropped here; `sync` runs before each measurement so
# that write-back of the previous one does not land in the next.
set -euo pipefail

usage() { sed -n '2,18s/^# \{0,1\}//p' "$0"; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
runs=${RUNS:-3}
large_runs=${LARGE_RUNS:-1}
quick=0
ns=()
for arg in "$@"; do
    case $arg in
        --quick) quick=1 ;;
        -h|--help) usage; exit 0 ;;
        *)
            if [[ ! $arg =~ ^[1-9][0-9]*$ ]]; then
                echo "run.sh: not an incident count: $arg" >&2; usage >&2; exit 2
            fi
            ns+=("$arg") ;;
    esac
done
if ((quick)); then
    ns=(1000); runs=1
elif ((${#ns[@]} == 0)); then
    ns=(1000 10000 100000)
fi
for value in "$runs" "$large_runs"; do
    if [[ ! $value =~ ^[1-9][0-9]*$ ]]; then
        echo "run.sh: RUNS and LARGE_RUNS must be positive integers, got '$value'" >&2; exit 2
    fi
done
mem_limit_mib=${MEM_LIMIT_MIB:-$(awk '/^MemTotal:/ {printf "%d", $2 * 0.85 / 1024}' /proc/meminfo)}
if [[ ! $mem_limit_mib =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: MEM_LIMIT_MIB must be a positive integer, got '$mem_limit_mib'" >&2; exit 2
fi

log() { printf '[bench] %s\n' "$*" >&2; }

apt_install() {
    if ! apt-get install -y "$@" >/dev/null 2>&1; then
        apt-get update >/dev/null
        apt-get install -y "$@" >/dev/null
    fi
}

# ---- tools -------------------------------------------------------------
command -v hugo >/dev/null 2>&1 || { log "installing hugo"; apt_install hugo; }
[[ -x /usr/bin/time ]] || { log "installing time"; apt_install time; }
command -v python3 >/dev/null 2>&1 || { log "installing python3"; apt_install python3; }
command -v npm >/dev/null 2>&1 || { log "installing npm"; apt_install npm; }
theme=${THEME:-$repo/themes/default}
[[ -d $theme ]] || { echo "run.sh: $theme is missing" >&2; exit 1; }

work=$(mktemp -d /tmp/dossier-bench.XXXXXX)
if [[ ${KEEP:-0} == 1 ]]; then
    log "work directory (kept): $work"
else
    trap 'rm -rf "$work"' EXIT
fi

# The Pagefind CLI at the version of the pagefind crate dossier links, from
# the npm package `pagefind`, installed into the work directory. The native
# binary it ships is run directly, so no Node.js start-up is measured.
pagefind_version=$(awk '/^name = "pagefind"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' "$repo/Cargo.lock")
[[ -n $pagefind_version ]] || { echo "run.sh: no pagefind version in Cargo.lock" >&2; exit 1; }
log "installing the Pagefind CLI $pagefind_version (npm)"
npm install --silent --no-audit --no-fund --prefix "$work/pagefind-cli" "pagefind@$pagefind_version" >/dev/null
# The package for this platform ships `pagefind_extended` (and checksums
# beside it); take the executable.
pagefind=$(find "$work/pagefind-cli/node_modules/@pagefind" -path '*/bin/pagefind*' -type f -perm -u+x | sort | head -n 1)
[[ -x $pagefind ]] || { echo "run.sh: the npm package pagefind@$pagefind_version has no binary for this machine" >&2; exit 1; }

# Measure a private copy: a concurrent `cargo build` in the repository must
# not swap the binary between runs.
dossier="$work/dossier"
if [[ -n ${DOSSIER_BIN:-} ]]; then
    cp "$DOSSIER_BIN" "$dossier"
    commit="binary $DOSSIER_BIN"
else
    log "building dossier (release)"
    (cd "$repo" && cargo build --release --quiet)
    cp "$repo/target/release/dossier" "$dossier"
    commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "no commit")
    git -C "$repo" diff --quiet HEAD -- src themes Cargo.toml Cargo.lock 2>/dev/null || commit="$commit+uncommitted changes"
fi
dossier_id="$("$dossier" --version 2>/dev/null || echo dossier) ($commit; binary sha256 $(sha256sum "$dossier" | cut -c1-12))"
# Same for the theme, copied into every corpus.
cp -r "$theme" "$work/theme"

# Hugo's file cache goes in the work directory and is emptied before each run.
export HUGO_CACHEDIR="$work/hugo-cache"

# measure NAME CMD... : runs CMD under /usr/bin/time, appends "secs kib" to
# $work/NAME.samples. Returns 1, showing the output, if CMD fails. For a
# shell running two programs one after the other, the peak RSS is that of
# the larger (getrusage of the children), which is the pair's peak.
measure() {
    local name=$1; shift
    sync
    if ! (ulimit -v $((mem_limit_mib * 1024)) && exec /usr/bin/time -f '%e %M' -o "$work/time.out" "$@") \
            >"$work/cmd.log" 2>&1; then
        {
            echo "run.sh: command failed: $*"
            tail -n 20 "$work/cmd.log"
            cat "$work/time.out" 2>/dev/null
        } >&2
        return 1
    fi
    # The figures are on the last line ("Command exited ..." may precede them).
    tail -n 1 "$work/time.out" >>"$work/$name.samples"
}

# median COLUMN FILE : median of a column (1 = seconds, 2 = KiB)
median() {
    awk -v c="$1" '{print $c}' "$2" | sort -g | awk '
        {v[NR] = $1}
        END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
secs() { awk -v s="$1" 'BEGIN { printf "%.2f", s }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1e6 }'; }
count_files() { find "$1" -type f | wc -l; }
samples() { [[ -f $2 ]] || return 0; awk -v c="$1" '{printf "%s%s", (NR > 1 ? " " : ""), $c}' "$2"; }
# The largest HTML file under a folder: "bytes path".
largest_html() { find "$1" -name '*.html' -type f -printf '%s %P\n' | sort -n | tail -n 1; }
load() { awk '{print $1 "/" $2 "/" $3}' /proc/loadavg; }

# The measured builds, in the order each run takes them.
builds=(dossier nosearch hugo hugo-pagefind copy)
declare -A label=(
    [dossier]="dossier, search on"
    [nosearch]="dossier, \`search = false\`"
    [hugo]="Hugo"
    [hugo-pagefind]="Hugo + Pagefind CLI"
    [copy]="\`cp -r\` of dossier's output"
)
declare -A time_of rss_of files_of bytes_of largest_of runs_of
done_ns=()
raw=()
loads=()
failed=""
for n in "${ns[@]}"; do
    corpus="$work/corpus-$n"
    log "N=$n: generating corpus"
    python3 "$here/gen_corpus.py" "$n" "$corpus"
    dsite="$corpus/dossier" hsite="$corpus/hugo" nsite="$corpus/dossier-nosearch"
    # site.toml says theme = "default", looked up under the site's themes/.
    mkdir -p "$dsite/themes"
    cp -r "$work/theme" "$dsite/themes/default"
    # The same site without its search index: hard links to the same
    # content, its own site.toml.
    mkdir -p "$nsite"
    for entry in "$dsite"/*; do
        [[ $(basename "$entry") == site.toml ]] || cp -al "$entry" "$nsite/"
    done
    cp "$dsite/site.toml" "$nsite/site.toml"
    printf '\n[build]\nsearch = false\n' >> "$nsite/site.toml"
    out="$work/out-$n"
    k=$runs
    ((n < 100000)) || k=$large_runs
    for build in "${builds[@]}"; do rm -f "$work/$build-$n.samples"; done
    for ((r = 1; r <= k; r++)); do
        loads+=("| $n | $r | $(load) |")
        for build in "${builds[@]}"; do
            log "N=$n: run $r/$k: $build (load $(load))"
            rm -rf "$out-$build" "$hsite/resources" "$hsite/.hugo_build.lock" "$HUGO_CACHEDIR"
            case $build in
                dossier) cmd=("$dossier" build --root "$dsite" --output "$out-$build") ;;
                nosearch) cmd=("$dossier" build --root "$nsite" --output "$out-$build") ;;
                hugo) cmd=(hugo --quiet --source "$hsite" --destination "$out-$build") ;;
                hugo-pagefind)
                    # The positional parameters expand in the inner shell.
                    # shellcheck disable=SC2016
                    cmd=(sh -c 'hugo --quiet --source "$1" --destination "$2" && "$3" --quiet --site "$2"' \
                        sh "$hsite" "$out-$build" "$pagefind") ;;
                copy) cmd=(cp -r "$out-dossier" "$out-$build") ;;
            esac
            measure "$build-$n" "${cmd[@]}" \
                || { failed="$build failed at N=$n (error above; address-space limit was ${mem_limit_mib} MiB)"; break 2; }
        done
        rm -rf "$out-copy"
    done
    row="| $n"
    for build in "${builds[@]}"; do row+=" | $(samples 1 "$work/$build-$n.samples")"; done
    for build in dossier nosearch hugo hugo-pagefind; do row+=" | $(samples 2 "$work/$build-$n.samples")"; done
    raw+=("$row |")
    [[ -z $failed ]] || break
    for build in "${builds[@]}"; do
        time_of[$build-$n]=$(median 1 "$work/$build-$n.samples")
        rss_of[$build-$n]=$(median 2 "$work/$build-$n.samples")
    done
    for build in dossier nosearch hugo hugo-pagefind; do
        files_of[$build-$n]=$(count_files "$out-$build")
        bytes_of[$build-$n]=$(du -sb "$out-$build" | cut -f1)
        largest_of[$build-$n]=$(largest_html "$out-$build")
    done
    runs_of[$n]=$k
    done_ns+=("$n")
    # Free the space before the next, larger corpus.
    rm -rf "$corpus" "$out"-*
done

t() { secs "${time_of[$1-$2]}"; }
m() { mib "${rss_of[$1-$2]}"; }
tr_() { ratio "${time_of[$1-$3]}" "${time_of[$2-$3]}"; }
mr() { ratio "${rss_of[$1-$3]}" "${rss_of[$2-$3]}"; }

echo
echo "Cold builds, medians; interleaved runs; $(nproc) CPUs; $dossier_id; hugo $(hugo version | awk '{print $2}'); Pagefind CLI $("$pagefind" --version | awk '{print $2}')."
echo
echo "| incidents | runs | build | wall (s) | peak RSS (MiB) | files | MB | largest HTML page |"
echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"
for n in "${done_ns[@]}"; do
    for build in "${builds[@]}"; do
        if [[ $build == copy ]]; then
            echo "| $n | ${runs_of[$n]} | ${label[$build]} | $(t "$build" "$n") | — | | | |"
        else
            read -r size path <<<"${largest_of[$build-$n]}"
            echo "| $n | ${runs_of[$n]} | ${label[$build]} | $(t "$build" "$n") | $(m "$build" "$n") | ${files_of[$build-$n]} | $(mb "${bytes_of[$build-$n]}") | $(awk -v b="$size" 'BEGIN { printf "%.2f", b / 1e6 }') MB \`$path\` |"
        fi
    done
done

echo
echo "Ratios of medians:"
echo
echo "| incidents | search on / (Hugo + Pagefind) time | search on / (Hugo + Pagefind) RSS | search off / Hugo time | search off / Hugo RSS | search off / its \`cp -r\` floor | search on / its \`cp -r\` floor |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${done_ns[@]}"; do
    echo "| $n | $(tr_ dossier hugo-pagefind "$n") | $(mr dossier hugo-pagefind "$n") | $(tr_ nosearch hugo "$n") | $(mr nosearch hugo "$n") | $(awk -v a="${time_of[nosearch-$n]}" -v b="${time_of[copy-$n]}" -v x="${bytes_of[nosearch-$n]}" -v y="${bytes_of[dossier-$n]}" 'BEGIN { if (b > 0 && y > 0) printf "%.2f", a / (b * x / y); else print "n/a" }') | $(tr_ dossier copy "$n") |"
done
echo
echo "The floor is the copy of the search-on output; for the build without"
echo "search it is scaled by the two outputs' bytes."

# Scaling between consecutive sizes, e.g. the 100,000 / 10,000 time ratio.
prev=""
for n in "${done_ns[@]}"; do
    if [[ -n $prev ]]; then
        echo
        echo "Scaling $prev -> $n incidents (time; peak RSS):"
        for build in dossier nosearch hugo hugo-pagefind; do
            echo "- ${label[$build]}: x$(ratio "${time_of[$build-$n]}" "${time_of[$build-$prev]}"); x$(ratio "${rss_of[$build-$n]}" "${rss_of[$build-$prev]}")"
        done
    fi
    prev=$n
done

echo
echo "Raw samples, in run order (seconds; KiB):"
echo
echo "| incidents | search on s | search off s | Hugo s | Hugo + Pagefind s | \`cp -r\` s | search on KiB | search off KiB | Hugo KiB | Hugo + Pagefind KiB |"
echo "| ---: | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${raw[@]}"
echo
echo "Load average (1/5/15 min) at the start of each run:"
echo
echo "| incidents | run | load |"
echo "| ---: | ---: | --- |"
printf '%s\n' "${loads[@]}"

if [[ -n $failed ]]; then
    echo
    echo "FAILED: $failed; larger sizes were not measured."
    exit 1
fi
