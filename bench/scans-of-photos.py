#!/usr/bin/env python3
"""The photo fixtures' documents as office scans, for the issue-4 comparison "photo within 1.5x
the error rate of the scans of the same documents".

For every photo in the generator's SPECS, renders the same document (same text, fonts, layout)
with the generator's own scanner model (scan_page: slight skew, blur, noise, background
suppression) as a 300 dpi PNG into OUT/scan/, beside a truth.jsonl with the same truth lines
(file names changed) and the case register. Nothing in fixtures/ is touched.

    python3 bench/scans-of-photos.py /tmp/posteingang-photo-scans
    posteingang eval --json /tmp/posteingang-photo-scans > scans.json
"""
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_sets import REPO, generator, write_set  # noqa: E402

gen = generator()


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/posteingang-photo-scans")
    (out / "scan").mkdir(parents=True, exist_ok=True)
    truth = {json.loads(line)["file"]: json.loads(line)
             for line in (REPO / "fixtures/truth.jsonl").read_text(encoding="utf-8").splitlines()}
    records = []
    for s in gen.SPECS:
        if s["cap"] != "photo":
            continue
        photo = f"photo/{s['id']}.{gen.EXT[s['fmt']]}"
        ctx = gen.make_ctx(s)
        doc = gen.BUILDERS[s["cls"]](ctx)
        gen.annotate(doc, ctx)
        rng, nrng = gen.rngs("scan-of-photo:" + s["id"])
        rel = f"scan/{s['id']}.png"
        target = out / rel
        if not target.exists():
            gen.save_scan(doc, target, "png", 300, rng, nrng)
        record = dict(truth[photo])
        assert record["text"] == doc.text(), f"{photo}: the generator's text differs from truth.jsonl"
        record.update(file=rel, capture="scan", format="png", photo=photo)
        records.append(record)
        # a sidecar routes the photo to its case; the scan gets the same one
        sidecar = REPO / "fixtures" / Path(photo).with_suffix(".json")
        if sidecar.exists():
            shutil.copy(sidecar, target.with_suffix(".json"))
        print(rel, flush=True)
    write_set(out, records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
