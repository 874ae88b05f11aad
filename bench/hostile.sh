#!/usr/bin/env bash
# Hostile-input benchmark: builds inputs that stress one part of hookstat
# each (very wide objects, a huge array, colliding column names, thousands
# of event types, NUL garbage, a half-written last line, a 300 MB line,
# two events on one line, a Firehose gzip object), ingests each into a new
# database and prints one aligned row per input: wall seconds, peak RSS,
# events loaded, rejects, field issues, bytes of a pending (unfinished)
# last record and the kinds of rejects and issues (from `ingest --json`),
# next to what the input was built to contain, and the input's memory
# ceiling. Exits 1 when a run's peak RSS is over its ceiling or hookstat
# did not exit 0 (the rows are all printed first).
#
#   bench/hostile.sh [NAME...]      # all inputs by default; names as printed
#
# The ceilings are about 1.5 times the peaks measured on the project's
# 2-core machine (README "Hostile inputs"), so that a regression that
# keeps a whole input, or a copy of a parsed event, in memory fails.
#
# Needs python3 and GNU time as /usr/bin/time (Debian: `apt-get install -y
# time`). Uses $HOOKSTAT_BIN, else $CARGO_TARGET_DIR/release/hookstat (built
# with `cargo build --release` when missing). Inputs are generated under
# $BENCH_DIR (default: a new temporary folder), one at a time, and removed
# after their run; the largest is about 300 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hookstat/target}"
bin="${HOOKSTAT_BIN:-$CARGO_TARGET_DIR/release/hookstat}"
if [ ! -x "$bin" ]; then
  cargo build --release --quiet
fi
if [ ! -x /usr/bin/time ]; then
  echo "hostile.sh: /usr/bin/time is missing (apt-get install -y time)" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "hostile.sh: python3 is missing" >&2; exit 2; }

all=(keys_100k array_7_8m_numbers colliding_keys_5k event_types_2k nul_line_600
     half_written_last_line line_300mb two_events_per_line firehose_630_gz)
# peak RSS ceiling per input, MB
declare -A ceiling=([keys_100k]=250 [array_7_8m_numbers]=800 [colliding_keys_5k]=600
  [event_types_2k]=250 [nul_line_600]=160 [half_written_last_line]=160 [line_300mb]=200
  [two_events_per_line]=160 [firehose_630_gz]=160)
if [ "$#" -gt 0 ]; then names=("$@"); else names=("${all[@]}"); fi
for n in "${names[@]}"; do
  case " ${all[*]} " in *" $n "*) ;; *) echo "hostile.sh: unknown input $n (one of: ${all[*]})" >&2; exit 2 ;; esac
done

if [ -n "${BENCH_DIR:-}" ]; then
  work="$BENCH_DIR"; mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/hookstat-hostile.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

# Writes input NAME under DIR; prints what it was built to hold.
generate() { # name dir
  python3 - "$1" "$2" <<'PY'
import gzip, json, os, sys

name, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
T = "1753945760"

def cmb(i):
    return json.dumps({
        "event_id": f"cmb-{i:06d}", "event_type": "cmb", "created_at": T,
        "client_account_id": "91c173bb-28d8-4030-9722-8663ff9589f3",
        "cmb_payload": {
            "business_number": "910987654321", "feature_set": "Fresh Flower Delivery",
            "client_number": "911234567890", "requested_at": T,
            "requested_date": "2025-08-02", "requested_slot": "Saturday",
            "preferred_from_time": "1754116200", "preferred_to_time": "1754118000",
            "is_interested": i % 2 == 0, "alternate_number": "",
            "cmb_config_name": ["Diwali 🎉", "कॉल बैक ऑफ़र", "Spring"][i % 3]}},
        ensure_ascii=False, separators=(",", ":"))

def envelope(eid, etype, payload_text):
    return (f'{{"event_id":"{eid}","event_type":"{etype}","created_at":"{T}",'
            f'"{etype}_payload":{payload_text}}}')

def write(fname, data, mode="w"):
    with open(os.path.join(out, fname), mode) as f:
        f.write(data)

if name == "keys_100k":
    payload = "{" + ",".join(f'"k{i:06d}":{i}' for i in range(100_000)) + "}"
    write("wide.json", envelope("wide-1", "wide", payload) + "\n")
    print("1 event")
elif name == "array_7_8m_numbers":
    digits = ",".join(str(i % 10) for i in range(7_800_000))
    write("array.json", envelope("array-1", "numbers", '{"values":[' + digits + "]}") + "\n")
    print("1 event")
elif name == "colliding_keys_5k":
    # "a" + a CJK character: every key sanitises to "a"
    payload = "{" + ",".join(f'"a{chr(0x4E00 + i)}":{i}' for i in range(5_000)) + "}"
    write("collide.json", envelope("collide-1", "collide", payload) + "\n")
    print("1 event")
elif name == "event_types_2k":
    lines = [envelope(f"type-{i:04d}", f"t{i:04d}", f'{{"x":{i},"label":"v{i}"}}')
             for i in range(2_000)]
    write("types.ndjson", "\n".join(lines) + "\n")
    print("2000 events")
elif name == "nul_line_600":
    lines = [cmb(i) for i in range(599)]
    lines.insert(4, "\0" * 40 + "garbage\0\0")  # line 5, inside the first 4 KB
    write("nul.ndjson", "\n".join(lines) + "\n")
    print("599 events + 1 garbage line")
elif name == "half_written_last_line":
    lines = [cmb(i) for i in range(100)]
    last = lines.pop()
    write("half.ndjson", "\n".join(lines) + "\n" + last[: len(last) // 2])
    print("99 events + 1 half line")
elif name == "line_300mb":
    # one 300 MB line (over the 16 MiB record limit), then one normal event
    with open(os.path.join(out, "huge.ndjson"), "w") as f:
        f.write('{"event_id":"huge-1","event_type":"uf","created_at":"%s","uf_payload":{"blob":"' % T)
        chunk = "x" * (1 << 20)
        for _ in range(300):
            f.write(chunk)
        f.write('"}}\n')
        f.write(cmb(1) + "\n")
    print("1 event + 1 line over 16 MiB")
elif name == "two_events_per_line":
    lines, n = [], 0
    for i in range(50):
        if i % 10 == 3:  # 5 of 50 lines hold two events
            sep = "" if i % 20 == 3 else " "
            lines.append(cmb(n) + sep + cmb(n + 1))
            n += 2
        else:
            lines.append(cmb(n))
            n += 1
    write("two.ndjson", "\n".join(lines) + "\n")
    print(f"{n} events on 50 lines")
elif name == "firehose_630_gz":
    parts = []
    for i in range(630):
        e = cmb(i)
        parts.append(json.dumps(json.loads(e), indent=2, ensure_ascii=False) if i % 7 == 0 else e)
    write("firehose-object", gzip.compress("".join(parts).encode()), "wb")
    print("630 events")
else:
    sys.exit(f"unknown input {name}")
PY
}

row() { printf '%-24s %8s %4s %7s %8s %8s %7s %7s %7s %9s  %-30s %s\n' "$@"; }

echo "$("$bin" --version 2>/dev/null | head -n 1 || true) ($bin); $(nproc) cores"
row input "size MB" exit "wall s" "peak MB" "ceiling" events rejects issues "pending B" "built with" "rejects and field issues by kind"
failed=()
for name in "${names[@]}"; do
  dir="$work/$name"
  rm -rf "$dir"
  expected=$(generate "$name" "$dir/in")
  size=$(du -sb "$dir/in" | awk '{printf "%.1f", $1 / 1e6}')
  set +e
  /usr/bin/time -f '%e %M' -o "$dir/time" \
    "$bin" ingest --db "$dir/h.duckdb" --json "$dir/in" >"$dir/summary.json" 2>"$dir/stderr"
  code=$?
  set -e
  read -r secs kb < <(tail -n 1 "$dir/time")
  counts=$(python3 - "$dir/summary.json" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
except Exception:
    print("- - - - -"); sys.exit()
c = s.get("counts", s)
kinds = {**c.get("rejected_by_reason", {}), **c.get("field_issues_by_problem", {})}
detail = ",".join(f"{k}:{v}" for k, v in sorted(kinds.items())) or "-"
print(*(c.get(k, "-") for k in ("inserted", "rejected", "field_issues", "pending_bytes")), detail)
PY
)
  read -r events rejects issues pending detail <<<"$counts"
  mb=$(awk -v kb="$kb" 'BEGIN { printf "%.0f", kb / 1024 }')
  limit=${ceiling[$name]}
  verdict="$limit"
  if [ "$mb" -gt "$limit" ]; then
    verdict="OVER $limit"
    failed+=("$name: peak ${mb} MB over its ceiling of ${limit} MB")
  fi
  row "$name" "$size" "$code" "$secs" "$mb" "$verdict" "$events" "$rejects" "$issues" "$pending" "$expected" "$detail"
  if [ "$code" != 0 ]; then
    failed+=("$name: hookstat exited $code")
    sed 's/^/    stderr: /' "$dir/stderr" | tail -n 5
  fi
  rm -rf "$dir"
done
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'hostile.sh: %s\n' "${failed[@]}" >&2
  exit 1
fi
