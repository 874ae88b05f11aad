#!/usr/bin/env bash
# The nightly-cost benchmark: every figure of the speed and memory targets in
# one run, with DuckDB doing the same job by hand measured alternately in the
# same run (when the duckdb Python package is installed).
#
# Archives come from `hookstat sample` (cached under $BENCH_DIR):
#   ndjson1m   1,000,000 events, 30 daily NDJSON files (and a gzipped copy)
#   files100k  100,000 one-event files
#   hist10m    10,000,000 events (the history); night: the last three days
#              of another 1M archive (about 100,000 new events) plus
#              10,000 retries of the history's last day; the night's
#              export and report against the 10M history
#
#   bench/nightly.sh            everything (about 15 minutes on 2 cores)
#   bench/nightly.sh quick      without the 10M history
#   REPS=3 bench/nightly.sh     median of 3 runs per figure
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
reps=${REPS:-1}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hookstat/target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/hookstat"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/hookstat-bench}"
mkdir -p "$work"
export HOOKSTAT_PII_KEY_FILE="$work/pii.key"
peer_ndjson=../shared/peer/duckdb_by_hand.py
[ -f "$peer_ndjson" ] || peer_ndjson=
have_duckdb=0
python3 -c 'import duckdb' 2>/dev/null && have_duckdb=1
results="$work/results.tsv"
: >"$results"

sample() { # dir events layout seed
  if [ ! -f "$1/.hookstat-sample.json" ]; then
    rm -rf "$1"
    "$bin" sample --out "$1" --events "$2" --layout "$3" --clean --seed "$4" >/dev/null
  fi
}

timed() { # label events command... -> appends "label events secs rss_mb" (median of REPS)
  local label=$1 events=$2 i
  shift 2
  : >"$work/runs"
  for ((i = 0; i < reps; i++)); do
    if [ -n "${BEFORE:-}" ]; then eval "$BEFORE"; fi
    if /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err"; then
      tail -1 "$work/time" >>"$work/runs"
    else
      echo "$label FAILED: $(tail -3 "$work/err")" >&2
      echo "nan 0" >>"$work/runs"
    fi
  done
  sort -n "$work/runs" | sed -n "$(((reps + 1) / 2))p" |
    awk -v l="$label" -v n="$events" '{ printf "%s\t%s\t%s\t%.0f\n", l, n, $1, $2 / 1024 }' >>"$results"
  tail -1 "$results" >&2
}

fresh() { rm -f "$work/$1.duckdb" "$work/$1.duckdb.wal"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM; $("$bin" --version)" >&2
sample "$work/ndjson1m" 1000000 ndjson 1
sample "$work/files100k" 100000 files 1
if [ ! -d "$work/ndjson1m-gz" ]; then
  cp -r "$work/ndjson1m" "$work/ndjson1m-gz.tmp"
  gzip -q "$work/ndjson1m-gz.tmp"/*/*.ndjson
  mv "$work/ndjson1m-gz.tmp" "$work/ndjson1m-gz"
fi

# 1M NDJSON: hookstat and the peer alternately
for ((r = 0; r < reps; r++)); do
  REPS=1 BEFORE="fresh a" timed "ingest 1M ndjson" 1000000 "$bin" ingest --db "$work/a.duckdb" --json "$work/ndjson1m"
  if [ "$have_duckdb" = 1 ] && [ -n "$peer_ndjson" ]; then
    REPS=1 timed "peer 1M ndjson" 1000000 python3 "$peer_ndjson" "$work/ndjson1m" "$work/peer.duckdb"
  fi
done
timed "unchanged re-run 1M" 1000000 "$bin" ingest --db "$work/a.duckdb" --json "$work/ndjson1m"
BEFORE="fresh g" timed "ingest 1M ndjson.gz" 1000000 "$bin" ingest --db "$work/g.duckdb" --json "$work/ndjson1m-gz"
timed "report 1M" 1000000 "$bin" report --db "$work/a.duckdb" --out "$work/rep1m"
BEFORE="rm -rf $work/exp1m" timed "export 1M" 1000000 "$bin" export --db "$work/a.duckdb" --out "$work/exp1m"
BEFORE="fresh r; rm -rf $work/run-rep $work/run-exp" timed "run 1M (ingest+report+export)" 1000000 \
  "$bin" run --db "$work/r.duckdb" --report-out "$work/run-rep" --export-out "$work/run-exp" --quiet "$work/ndjson1m"
BEFORE="fresh f" timed "ingest 100k files" 100000 "$bin" ingest --db "$work/f.duckdb" --json "$work/files100k"
if [ "$have_duckdb" = 1 ]; then
  timed "peer 100k files" 100000 python3 bench/peer_duckdb.py "$work/files100k" "$work/peer.duckdb"
fi

if [ "$mode" = full ]; then
  sample "$work/hist10m" 10000000 ndjson 7
  # the night: the last three days of another 1M-event archive (about
  # 100,000 new events, the days a night touches) ...
  sample "$work/night-src" 1000000 ndjson 8
  rm -rf "$work/night"
  mkdir -p "$work/night"
  for f in $(ls "$work/night-src"/*/*.ndjson | tail -3); do cp "$f" "$work/night/"; done
  # ... plus retries of the history's last day (up to 3.3 days late): 10,000
  day=$(ls "$work/hist10m"/*/*.ndjson | tail -1)
  head -n 10000 "$day" >"$work/night/retries-$(basename "$day")"
  night_events=$(cat "$work/night"/*.ndjson | wc -l)
  if [ ! -f "$work/h10.duckdb" ]; then
    timed "ingest 10M ndjson" 10000000 "$bin" ingest --db "$work/h10.duckdb" --json "$work/hist10m"
  fi
  timed "report 10M" 10000000 "$bin" report --db "$work/h10.duckdb" --out "$work/rep10m"
  BEFORE="rm -rf $work/exp10m" timed "first export 10M" 10000000 "$bin" export --db "$work/h10.duckdb" --out "$work/exp10m"
  # sync: the copy's dirty pages are not written back during the timed run
  BEFORE="cp $work/h10.duckdb $work/n.duckdb; sync" timed "night into 10M history" "$night_events" \
    "$bin" ingest --db "$work/n.duckdb" --json "$work/night"
  BEFORE="rm -rf $work/expn; cp -r $work/exp10m $work/expn" timed "export after the night, 10M" "$night_events" \
    "$bin" export --db "$work/n.duckdb" --out "$work/expn"
  timed "report after the night, 10M" "$night_events" "$bin" report --db "$work/n.duckdb" --out "$work/repn"
  # the whole nightly run (ingest, report, export) of the same night
  BEFORE="cp $work/h10.duckdb $work/rn.duckdb; rm -rf $work/rn-rep $work/rn-exp; cp -r $work/exp10m $work/rn-exp; sync" \
    timed "run: the night into 10M" "$night_events" \
    "$bin" run --db "$work/rn.duckdb" --report-out "$work/rn-rep" --export-out "$work/rn-exp" --quiet "$work/night"
  BEFORE="fresh e; sync" timed "night into empty database" "$night_events" \
    "$bin" ingest --db "$work/e.duckdb" --json "$work/night"
fi

python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, n, secs, mb = line.rstrip("\n").split("\t")
    rows[label] = (int(n), float(secs), float(mb))
def get(label):
    return rows.get(label)
print(f"{'job':<34}{'events':>11}{'seconds':>9}{'events/s':>12}{'peak MB':>9}")
for label, (n, s, mb) in rows.items():
    print(f"{label:<34}{n:>11,}{s:>9.2f}{n / max(s, 1e-9):>12,.0f}{mb:>9.0f}")
def ratio(a, b, target, what="time"):
    ra, rb = get(a), get(b)
    if not ra or not rb:
        return
    i = 1 if what == "time" else 2
    r = ra[i] / max(rb[i], 1e-9)
    verdict = "met" if r <= target else "MISSED"
    print(f"{what:>6} {a} / {b}: {r:.2f} (target <= {target}) {verdict}")
print()
ratio("ingest 1M ndjson", "peer 1M ndjson", 1.0)
ratio("ingest 1M ndjson.gz", "ingest 1M ndjson", 1.5)
ratio("ingest 100k files", "peer 100k files", 0.05)
ratio("unchanged re-run 1M", "ingest 1M ndjson", 0.02)
ratio("run 1M (ingest+report+export)", "ingest 1M ndjson", 1.5)
ratio("night into 10M history", "night into empty database", 1.2)
ratio("night into 10M history", "night into empty database", 1.2, "memory")
if "run: the night into 10M" in rows and "night into 10M history" in rows:
    r = rows["run: the night into 10M"][1] / max(rows["night into 10M history"][1], 1e-9)
    print(f"  time run: the night into 10M / night into 10M history: {r:.2f} (ingest, report and export; no target)")
for label, target in [("report 1M", 1.0), ("report 10M", 5.0), ("export 1M", 2.0), ("first export 10M", 20.0)]:
    if label in rows:
        s = rows[label][1]
        print(f"  time {label}: {s:.2f} s (target <= {target} s) {'met' if s <= target else 'MISSED'}")
for label, limit in [("ingest 1M ndjson", 300), ("report 10M", 1024)]:
    if label in rows:
        mb = rows[label][2]
        print(f"memory {label}: {mb:.0f} MB (target <= {limit} MB) {'met' if mb <= limit else 'MISSED'}")
if "ingest 10M ndjson" in rows and "ingest 1M ndjson" in rows:
    big, small = rows["ingest 10M ndjson"], rows["ingest 1M ndjson"]
    print(f"memory ingest 10M / 1M: {big[2] / small[2]:.2f} (target <= 1.0); time per event 10M / 1M: {big[1] / 10 / small[1]:.2f} (linear: 1.0)")
PY
