#!/usr/bin/env bash
# Load test of the upload API: UPLOADS uploads from CLIENTS concurrent clients on loopback against
# a real `posteingang serve` (HTTP + daemon in one process), half multipart, half raw. Every
# upload is a distinct document: born-digital payslips and letters (text layer) made on the fly,
# plus every SCAN_EVERY-th one a scanned fixture page (PNG/TIFF/PDF scan, made distinct by bytes
# after its end, so it is really OCR'd). Prints the accept latency (request sent → 202 received)
# p50/p95/max, and the time from the first request until every upload is filed (or in review).
#
#   bench/load.sh [BINARY=.build/release/posteingang] [UPLOADS=200] [CLIENTS=8] [SCAN_EVERY=10]
set -euo pipefail
cd "$(dirname "$0")/.."
B="${1:-.build/release/posteingang}"
UPLOADS="${2:-200}"
CLIENTS="${3:-8}"
SCAN_EVERY="${4:-10}"
[ -x "$B" ] || { echo "no binary at $B (swift build -c release)" >&2; exit 2; }
DATA="$(mktemp -d /tmp/posteingang-load-XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$B" cases import --data-dir "$DATA" fixtures/cases.csv >/dev/null
TOKEN="$("$B" tokens create --data-dir "$DATA" --client load-test --rate 100000/min 2>/dev/null)"
"$B" serve --data-dir "$DATA" --config pipeline.yml --port "$PORT" --quiet >"$DATA/serve.log" 2>&1 &
SERVER=$!
# The data directory is removed at the end; KEEP=1 keeps it (serve.log, akte.sqlite) for a look.
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; [ "${KEEP:-0}" = 1 ] && echo "data: $DATA" || rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done

python3 - "$PORT" "$TOKEN" "$UPLOADS" "$CLIENTS" "$SCAN_EVERY" "$DATA" <<'EOF'
import json, os, sqlite3, sys, time, uuid, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor

port, token, uploads, clients, scan_every, data = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
base = f"http://127.0.0.1:{port}/api/v1/uploads"
people = [("Peter Schmidt", "Lindenstrasse 12", "44137 Dortmund"), ("Anna Mueller", "Kirchstrasse 5", "44147 Dortmund"),
          ("Julia Becker", "Berliner Strasse 44", "51063 Koeln")]
scans = ["fixtures/scan/" + n for n in sorted(os.listdir("fixtures/scan"))]

def text_pdf(lines):
    content = "BT /F1 11 Tf 14 TL 60 780 Td\n" + "".join(f"({l}) '\n" for l in lines) + "ET\n"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            f"<< /Length {len(content)} >>\nstream\n{content}endstream"]
    pdf, offs = "%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offs.append(len(pdf)); pdf += f"{i+1} 0 obj\n{o}\nendobj\n"
    x = len(pdf)
    pdf += f"xref\n0 {len(objs)+1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offs)
    pdf += f"trailer\n<< /Size {len(objs)+1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n"
    return pdf.encode("latin-1")

def document(i):
    if scan_every and i % scan_every == scan_every - 1:
        path = scans[(i // scan_every) % len(scans)]
        return os.path.basename(path), open(path, "rb").read() + f"\n% load {i}\n".encode()
    name, street, city = people[i % len(people)]
    lines = ["Muster Logistik GmbH, Hafenstrasse 3, 44147 Dortmund", "", name, street, city, "",
             "Entgeltabrechnung fuer Maerz 2025", f"Personalnummer {10000 + i}", "Steuerklasse 1",
             f"Gesamtbrutto 2.{100 + i % 800},00 EUR", f"Auszahlungsbetrag 1.{500 + i % 400},50 EUR", f"Beleg {i}"]
    return f"payslip-{i}.pdf", text_pdf(lines)

def send(i):
    name, body = document(i)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
    if i % 2 == 0:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + body + f"\r\n--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    else:
        headers["Content-Type"] = "application/octet-stream"
    request = urllib.request.Request(base, data=body, headers=headers, method="POST")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            status, payload = answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        status, payload = error.code, {"error": error.read().decode()}
    return status, time.monotonic() - started, payload.get("upload_id")

first = time.monotonic()
with ThreadPoolExecutor(max_workers=clients) as pool:
    results = list(pool.map(send, range(uploads)))
accepted_all = time.monotonic() - first
latencies = sorted(r[1] * 1000 for r in results)
ok = [r for r in results if r[0] == 202]
def pct(p): return latencies[min(len(latencies) - 1, int(round(p / 100 * len(latencies) + 0.5)) - 1)]
print(f"uploads {uploads}, clients {clients}: {len(ok)} accepted (202), others: {sorted({r[0] for r in results if r[0] != 202}) or 'none'}")
print(f"accept latency ms: p50 {pct(50):.1f}  p95 {pct(95):.1f}  max {latencies[-1]:.1f}  (all {uploads} accepted after {accepted_all:.1f} s)")

ids = [r[2] for r in ok]
db = sqlite3.connect(os.path.join(data, "akte.sqlite"), timeout=30)
marks = ",".join("?" * len(ids))
deadline = time.monotonic() + 3600
while True:
    rows = db.execute(f"SELECT state, documentID FROM uploads WHERE id IN ({marks})", ids).fetchall()
    done = [r for r in rows if r[1] is not None or r[0] == "refused"]
    if len(done) == len(ids) or time.monotonic() > deadline: break
    time.sleep(0.25)
filed_after = time.monotonic() - first
states = db.execute(f"""SELECT CASE WHEN u.state = 'refused' THEN 'refused' ELSE d.status END, COUNT(*)
                        FROM uploads u LEFT JOIN documents d ON d.id = u.documentID WHERE u.id IN ({marks}) GROUP BY 1""", ids).fetchall()
print(f"all {len(done)} of {len(ids)} filed after {filed_after:.1f} s from the first request: " + ", ".join(f"{s} {n}" for s, n in states))
sys.exit(0 if len(done) == len(ids) == uploads else 1)
EOF
