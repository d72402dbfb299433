#!/usr/bin/env bash
# Side-by-side: PyMockAPI, a bare Tornado handler, Mockoon (faker-templated body) and
# json-server (static records), all on loopback, all measured by the SAME client
# (python -m pymockapi.bench.client), one after the other.
#
# Usage: benchmarks/compare_peers.sh        (env: REQUESTS=10000 CONNECTIONS=10 PROCESSES=2
#                                                 MOCKOON=@mockoon/cli@9 JSON_SERVER=json-server@0.17)
# Needs: Python with PyMockAPI installed (.venv), node + npm (the npm packages go into a
# temporary folder that is removed at the end). Everything started here is stopped by PID.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
REQUESTS="${REQUESTS:-10000}"
CONNECTIONS="${CONNECTIONS:-10}"
PROCESSES="${PROCESSES:-2}"
MOCKOON="${MOCKOON:-@mockoon/cli@9}"
JSON_SERVER="${JSON_SERVER:-json-server@0.17}"
WORK="$(mktemp -d)"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_http() {  # wait_http URL: until it answers 200 (at most 60 s)
  "$PY" - "$1" <<'PYEOF'
import sys, time, urllib.request
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as reply:
            if reply.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(f"{sys.argv[1]} did not answer within 60 s")
PYEOF
}

measure() {  # measure LABEL URL
  echo "measuring $1 ($2)" >&2
  (cd "$ROOT" && "$PY" -m pymockapi.bench.client "$2" --requests "$REQUESTS" --connections "$CONNECTIONS" \
      --processes "$PROCESSES" --label "$1") >> "$WORK/results.jsonl" || echo "  $1 had errors" >&2
}

# --- PyMockAPI (the real `pymockapi serve`, state in memory) -------------------------------
PORT_PY="$(free_port)"
(cd "$ROOT" && exec "$PY" -m pymockapi serve --memory --port "$PORT_PY") > "$WORK/pymockapi.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT_PY/_api/health"
PATIENT="http://127.0.0.1:$PORT_PY/demo/riverside-clinic/patients/pat-0001"
wait_http "$PATIENT"

# --- bare Tornado, fixed 300-byte JSON --------------------------------------------------------
PORT_BARE="$(free_port)"
(cd "$ROOT" && exec "$PY" -m pymockapi.bench.baseline --port "$PORT_BARE") > "$WORK/baseline.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT_BARE/"

# --- the peers, installed into the temporary folder ------------------------------------------
echo "installing $MOCKOON and $JSON_SERVER into $WORK/npm" >&2
npm install --prefix "$WORK/npm" --no-audit --no-fund --loglevel=error "$MOCKOON" "$JSON_SERVER" >&2

# json-server: the same 40 patients PyMockAPI serves, as static records.
"$PY" - "http://127.0.0.1:$PORT_PY/demo/riverside-clinic/patients" "$WORK/db.json" <<'PYEOF'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as reply:
    items = json.load(reply)["items"]
json.dump({"patients": items}, open(sys.argv[2], "w"), indent=2)
PYEOF
PORT_JS="$(free_port)"
"$WORK/npm/node_modules/.bin/json-server" --host 127.0.0.1 --port "$PORT_JS" "$WORK/db.json" \
  > "$WORK/json-server.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT_JS/patients/pat-0001"

# Mockoon: one route answering a 12-field patient templated with Faker on every request.
PORT_MO="$(free_port)"
"$PY" - "$WORK/mockoon.json" "$PORT_MO" <<'PYEOF'
import json, sys, uuid
fields = {
    "id": "{{urlParam 'id'}}", "first_name": "{{faker 'person.firstName'}}",
    "last_name": "{{faker 'person.lastName'}}", "email": "{{faker 'internet.email'}}",
    "phone": "{{faker 'phone.number'}}", "birth_date": "{{faker 'date.birthdate'}}",
    "street": "{{faker 'location.streetAddress'}}", "city": "{{faker 'location.city'}}",
    "state": "{{faker 'location.state'}}", "zip": "{{faker 'location.zipCode'}}",
    "company": "{{faker 'company.name'}}", "note": "{{faker 'company.catchPhrase'}}",
}
body = "{\n" + ",\n".join(f'  "{k}": "{v}"' for k, v in fields.items()) + "\n}"
route_id = str(uuid.uuid4())
env = {
    "uuid": str(uuid.uuid4()), "lastMigration": 32, "name": "peers", "endpointPrefix": "", "latency": 0,
    "port": int(sys.argv[2]), "hostname": "127.0.0.1", "folders": [],
    "routes": [{
        "uuid": route_id, "type": "http", "documentation": "", "method": "get", "endpoint": "patients/:id",
        "responses": [{
            "uuid": str(uuid.uuid4()), "body": body, "latency": 0, "statusCode": 200, "label": "",
            "headers": [{"key": "Content-Type", "value": "application/json"}], "bodyType": "INLINE",
            "filePath": "", "databucketID": "", "sendFileAsBody": False, "rules": [], "rulesOperator": "OR",
            "disableTemplating": False, "fallbackTo404": False, "default": True, "crudKey": "id",
            "callbacks": [],
        }],
        "responseMode": None, "streamingMode": None, "streamingInterval": 0,
    }],
    "rootChildren": [{"type": "route", "uuid": route_id}], "proxyMode": False, "proxyHost": "",
    "proxyRemovePrefix": False,
    "tlsOptions": {"enabled": False, "type": "CERT", "pfxPath": "", "certPath": "", "keyPath": "",
                   "caPath": "", "passphrase": ""},
    "cors": True, "headers": [], "proxyReqHeaders": [], "proxyResHeaders": [], "data": [], "callbacks": [],
}
json.dump(env, open(sys.argv[1], "w"), indent=2)
PYEOF
"$WORK/npm/node_modules/.bin/mockoon-cli" start --data "$WORK/mockoon.json" --port "$PORT_MO" \
  > "$WORK/mockoon.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PORT_MO/patients/pat-0001"

# --- measure, one server at a time, with the same client ---------------------------------------
: > "$WORK/results.jsonl"
measure "bare Tornado (fixed 300 B)" "http://127.0.0.1:$PORT_BARE/"
measure "PyMockAPI persona (cached)" "$PATIENT"
measure "PyMockAPI patient list" "http://127.0.0.1:$PORT_PY/demo/riverside-clinic/patients"
measure "json-server (static record)" "http://127.0.0.1:$PORT_JS/patients/pat-0001"
measure "Mockoon (faker template)" "http://127.0.0.1:$PORT_MO/patients/pat-0001"

"$PY" - "$WORK/results.jsonl" <<'PYEOF'
import json, os, platform, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print(f"\nsame client, {rows[0]['connections'] if rows else '?'} connections, "
      f"{rows[0]['processes'] if rows else '?'} client processes; {platform.python_version()}, "
      f"nproc {os.cpu_count()}, load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
print(f"| {'server':<30} | {'req/s':>9} | {'p50 ms':>7} | {'p99 ms':>7} | {'max ms':>7} | errors |")
print(f"|{'-' * 32}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 9}|--------|")
for r in rows:
    lat = r["latency_ms"]
    print(f"| {r['label']:<30} | {r['throughput_rps']:>9,.0f} | {lat['p50']:>7.2f} | {lat['p99']:>7.2f} "
          f"| {lat['max']:>7.2f} | {r['errors']:>6} |")
PYEOF
