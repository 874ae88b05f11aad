#!/usr/bin/env bash
# Ingest benchmark: generates the two reference archives with `hookstat
# sample` and prints records/s and peak RSS for a cold ingest and for the
# incremental re-run. With `--peer`, also times DuckDB doing the same job by
# hand (read_json into deduplicated typed tables; needs `pip install duckdb`).
#
#   bench/ingest.sh [--peer] [EVENTS_NDJSON] [EVENTS_FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
peer=0
if [ "${1:-}" = "--peer" ]; then peer=1; shift; fi
n_ndjson=${1:-1000000}
n_files=${2:-100000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hookstat/target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/hookstat"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/hookstat-bench}"
mkdir -p "$work"

archive() { # name events layout
  local dir="$work/$1-$2"
  if [ ! -f "$dir/.hookstat-sample.json" ]; then
    rm -rf "$dir"
    "$bin" sample --out "$dir" --events "$2" --layout "$3" --clean --seed 1 >&2
  fi
  echo "$dir"
}

measure() { # label archive
  local db="$work/bench.duckdb" out
  rm -f "$db" "$db.wal"
  sync
  for pass in cold rerun; do
    out=$( { /usr/bin/time -f 'TIME %e %M' "$bin" ingest --db "$db" --json "$2" >"$work/summary.json"; } 2>&1 | grep '^TIME' )
    read -r _ secs kb <<<"$out"
    python3 - "$1" "$pass" "$secs" "$kb" "$work/summary.json" "$2" <<'PY'
import json, os, sys
label, pass_, secs, kb, summary, archive = sys.argv[1:]
s = json.load(open(summary))
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(archive) for f in fs)
secs = float(secs)
print(f"{label:<22} {pass_:<6} {s['records']:>9} records {size/1e6:>7.0f} MB  {secs:>6.2f} s"
      f"  {s['records']/max(secs,1e-9):>10,.0f} records/s  peak RSS {int(kb)/1024:>6.0f} MB"
      f"  (inserted {s['inserted']}, files read {s['files_read']})")
PY
  done
}

ndjson=$(archive ndjson "$n_ndjson" ndjson)
files=$(archive files "$n_files" files)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; hookstat $("$bin" --version)"
measure "ndjson ($n_ndjson events)" "$ndjson"
measure "files ($n_files files)" "$files"

if [ "$peer" = 1 ]; then
  python3 bench/peer_duckdb.py "$ndjson" "$work/peer.duckdb"
  python3 bench/peer_duckdb.py "$files" "$work/peer.duckdb"
fi
