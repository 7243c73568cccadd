#!/usr/bin/env bash
# Benchmark a cold `dossier build` against Hugo on the same generated corpus.
#
# Usage: benches/run.sh [--quick] [N...]
#   N...     incident counts to measure (default: 1000 10000 100000)
#   --quick  smoke test: N=1000 only, one run of each measurement
#   RUNS=k   environment: runs per measurement (default 3; the median is shown)
#   MEM_LIMIT_MIB=m  environment: address-space limit for each measured
#            command (default 85% of RAM), so a runaway build fails alone
#            instead of waking the OOM killer on a shared machine
#   KEEP=1   environment: keep the temporary work directory
#
# For each N, in the same run: the corpus is generated under /tmp (never in the
# repository), then each of these is run RUNS times, interleaved, each into a
# fresh output directory, and the median wall time and peak RSS are reported:
#   dossier build --root <site> --output <dir>
#   hugo --quiet --source <site> --destination <dir>
#   cp -r <dossier output> <dir>      (the file-system floor)
# Page caches cannot be dropped here; `sync` runs before each measurement so
# that write-back of the previous one does not land in the next.
set -euo pipefail

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
runs=${RUNS:-3}
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
if [[ ! $runs =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: RUNS must be a positive integer, got '$runs'" >&2; exit 2
fi
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
[[ -d $repo/themes/default ]] || { echo "run.sh: $repo/themes/default is missing" >&2; exit 1; }

work=$(mktemp -d /tmp/dossier-bench.XXXXXX)
if [[ ${KEEP:-0} == 1 ]]; then
    log "work directory (kept): $work"
else
    trap 'rm -rf "$work"' EXIT
fi

log "building dossier (release)"
(cd "$repo" && cargo build --release --quiet)
# Measure a private copy: a concurrent `cargo build` in the repository must
# not swap the binary between runs.
dossier="$work/dossier"
cp "$repo/target/release/dossier" "$dossier"
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "no commit")
git -C "$repo" diff --quiet HEAD -- src themes Cargo.toml Cargo.lock 2>/dev/null || commit="$commit+uncommitted changes"
dossier_id="$("$dossier" --version 2>/dev/null || echo dossier) ($commit; binary sha256 $(sha256sum "$dossier" | cut -c1-12))"
# Same for the theme, copied into every corpus.
cp -r "$repo/themes/default" "$work/theme"

# Hugo's file cache goes in the work directory and is emptied before each run.
export HUGO_CACHEDIR="$work/hugo-cache"

# measure NAME CMD... : runs CMD under /usr/bin/time, appends "secs kib" to
# $work/NAME.samples. Returns 1, showing the output, if CMD fails.
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

declare -A d_time d_rss h_time h_rss c_time d_files h_files d_bytes h_bytes
done_ns=()
raw=()
failed=""
for n in "${ns[@]}"; do
    corpus="$work/corpus-$n"
    log "N=$n: generating corpus"
    python3 "$here/gen_corpus.py" "$n" "$corpus"
    dsite="$corpus/dossier" hsite="$corpus/hugo"
    # site.toml says theme = "default", looked up under the site's themes/.
    mkdir -p "$dsite/themes"
    cp -r "$work/theme" "$dsite/themes/default"
    # SEARCH=0 measures dossier without its search index (Hugo builds none).
    if [[ ${SEARCH:-1} == 0 ]]; then
        printf '\n[build]\nsearch = false\n' >> "$dsite/site.toml"
    fi
    dout="$work/out-dossier-$n" hout="$work/out-hugo-$n" cout="$work/out-copy-$n"
    rm -f "$work"/{dossier,hugo,copy}-"$n".samples
    for ((r = 1; r <= runs; r++)); do
        log "N=$n: run $r/$runs: dossier"
        rm -rf "$dout"
        measure "dossier-$n" "$dossier" build --root "$dsite" --output "$dout" \
            || { failed="dossier build failed at N=$n (error above; address-space limit was ${mem_limit_mib} MiB)"; break; }
        log "N=$n: run $r/$runs: hugo"
        rm -rf "$hout" "$hsite/resources" "$hsite/.hugo_build.lock" "$HUGO_CACHEDIR"
        measure "hugo-$n" hugo --quiet --source "$hsite" --destination "$hout" \
            || { failed="hugo failed at N=$n (error above; address-space limit was ${mem_limit_mib} MiB)"; break; }
        log "N=$n: run $r/$runs: cp -r"
        rm -rf "$cout"
        measure "copy-$n" cp -r "$dout" "$cout" || { failed="cp -r failed at N=$n"; break; }
        rm -rf "$cout"
    done
    raw+=("| $n | $(samples 1 "$work/dossier-$n.samples") | $(samples 1 "$work/hugo-$n.samples") | $(samples 1 "$work/copy-$n.samples") | $(samples 2 "$work/dossier-$n.samples") | $(samples 2 "$work/hugo-$n.samples") |")
    [[ -z $failed ]] || break
    d_time[$n]=$(median 1 "$work/dossier-$n.samples"); d_rss[$n]=$(median 2 "$work/dossier-$n.samples")
    h_time[$n]=$(median 1 "$work/hugo-$n.samples");    h_rss[$n]=$(median 2 "$work/hugo-$n.samples")
    c_time[$n]=$(median 1 "$work/copy-$n.samples")
    d_files[$n]=$(count_files "$dout"); h_files[$n]=$(count_files "$hout")
    d_bytes[$n]=$(du -sb "$dout" | cut -f1); h_bytes[$n]=$(du -sb "$hout" | cut -f1)
    done_ns+=("$n")
    # Free the space before the next, larger corpus.
    rm -rf "$corpus" "$dout" "$hout"
done

echo
echo "Cold build, median of $runs run(s); $(nproc) CPUs; $dossier_id; hugo $(hugo version | awk '{print $2}')."
echo
echo "| incidents | dossier (s) | Hugo (s) | dossier/Hugo time | dossier peak RSS (MiB) | Hugo peak RSS (MiB) | dossier/Hugo RSS | \`cp -r\` floor (s) | dossier/floor | dossier files | Hugo files | dossier MB | Hugo MB |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${done_ns[@]}"; do
    echo "| $n | $(secs "${d_time[$n]}") | $(secs "${h_time[$n]}") | $(ratio "${d_time[$n]}" "${h_time[$n]}") | $(mib "${d_rss[$n]}") | $(mib "${h_rss[$n]}") | $(ratio "${d_rss[$n]}" "${h_rss[$n]}") | $(secs "${c_time[$n]}") | $(ratio "${d_time[$n]}" "${c_time[$n]}") | ${d_files[$n]} | ${h_files[$n]} | $(mb "${d_bytes[$n]}") | $(mb "${h_bytes[$n]}") |"
done

# Scaling between consecutive sizes, e.g. the 100,000 / 10,000 time ratio.
prev=""
for n in "${done_ns[@]}"; do
    if [[ -n $prev ]]; then
        echo
        echo "dossier scaling $prev -> $n incidents: time x$(ratio "${d_time[$n]}" "${d_time[$prev]}"), peak RSS x$(ratio "${d_rss[$n]}" "${d_rss[$prev]}") (Hugo: time x$(ratio "${h_time[$n]}" "${h_time[$prev]}"), peak RSS x$(ratio "${h_rss[$n]}" "${h_rss[$prev]}"))"
    fi
    prev=$n
done

echo
echo "Raw samples, in run order (seconds; KiB):"
echo
echo "| incidents | dossier s | Hugo s | \`cp -r\` s | dossier KiB | Hugo KiB |"
echo "| ---: | --- | --- | --- | --- | --- |"
printf '%s\n' "${raw[@]}"

if [[ -n $failed ]]; then
    echo
    echo "FAILED: $failed; larger sizes were not measured."
    exit 1
fi
