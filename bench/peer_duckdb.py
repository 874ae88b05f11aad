"""The peer: DuckDB doing hookstat's job by hand (read_json into the same
deduplicated, typed tables), timed with its peak RSS. Used by bench/nightly.sh
for the one-event files; needs the duckdb Python package (pip install duckdb)."""
import os
import resource
import subprocess
import sys
import time

JOB = r"""
import duckdb, sys
archive, db = sys.argv[1], sys.argv[2]
con = duckdb.connect(db)
con.execute("SET enable_progress_bar = false")
con.execute('''
CREATE TABLE events AS
SELECT DISTINCT ON (event_id)
    event_id, event_type, client_account_id,
    to_timestamp(TRY_CAST(created_at AS BIGINT)) AS created_at,
    filename AS source_file, cmb_payload
FROM read_json($glob, filename = true, ignore_errors = true)
WHERE event_id IS NOT NULL
''', {'glob': archive + '/**/*'})
con.execute('''
CREATE TABLE cmb_requests AS
SELECT event_id, client_account_id, created_at,
    cmb_payload.business_number, cmb_payload.feature_set,
    NULLIF(cmb_payload.client_number, 'Phone Number Not Available') AS client_number,
    cmb_payload.client_number <> 'Phone Number Not Available' AS client_number_available,
    NULLIF(cmb_payload.alternate_number, '') AS alternate_number,
    to_timestamp(TRY_CAST(cmb_payload.requested_at AS BIGINT)) AS requested_at,
    TRY_CAST(cmb_payload.requested_date AS DATE) AS requested_date,
    NULLIF(NULLIF(cmb_payload.requested_slot, 'NA'), '') AS requested_slot,
    to_timestamp(TRY_CAST(cmb_payload.preferred_from_time AS BIGINT)) AS preferred_from,
    to_timestamp(TRY_CAST(cmb_payload.preferred_to_time AS BIGINT)) AS preferred_to,
    TRY_CAST(cmb_payload.is_interested AS BOOLEAN) AS is_interested,
    cmb_payload.cmb_config_name
FROM events WHERE event_type = 'cmb'
''')
print(con.execute('SELECT count(*) FROM events').fetchone()[0])
"""

archive, db = sys.argv[1], sys.argv[2]
for f in (db, db + ".wal"):
    if os.path.exists(f):
        os.remove(f)
start = time.time()
out = subprocess.run([sys.executable, "-c", JOB, archive, db], capture_output=True, text=True)
secs = time.time() - start
if out.returncode != 0:
    print(f"peer failed: {out.stderr.strip()[-500:]}")
    sys.exit(1)
events = int(out.stdout.strip().splitlines()[-1])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"duckdb by hand         cold   {events:>9} events  {secs:>6.2f} s"
      f"  {events / secs:>10,.0f} events/s  peak RSS {peak:>6.0f} MB  ({os.path.basename(archive)})")
