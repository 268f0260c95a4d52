#!/usr/bin/env python3
"""Issue-4 accuracy table: ours (from `posteingang eval --json`) beside plain
`tesseract FILE - -l deu` on the same files, per capture kind: CER, order-free CER, word recall.

    posteingang eval --json ... fixtures > eval.json
    python3 bench/photo-metrics.py fixtures eval.json

The measures are those of Sources/Pipeline/Evaluation/TextMetrics.swift (whitespace folded,
edit distance over Unicode scalars / truth length; order-free: words sorted first; word recall:
share of the true words, as a multiset, read exactly). Plain tesseract runs 2 files at a time
with OMP_THREAD_LIMIT=1; it cannot read PDF or HEIC, so those are left out of its columns and of
the "same files" columns.
"""
import json
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def normalised(text):
    return " ".join(text.split())


def edit_distance(a, b):
    """Levenshtein distance, one row at a time; insertions along a row via a running minimum."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    x = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    y = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    index = np.arange(len(y) + 1)
    previous = index.copy()
    for i in range(1, len(x) + 1):
        current = np.empty_like(previous)
        current[0] = i
        current[1:] = np.minimum(previous[:-1] + (y != x[i - 1]), previous[1:] + 1)
        # current[j] = min over k <= j of current[k] + (j - k)
        current = np.minimum.accumulate(current - index) + index
        previous = current
    return int(previous[-1])


def cer(truth, read):
    t, r = normalised(truth), normalised(read)
    if not t:
        return 0.0 if not r else 1.0
    return edit_distance(t, r) / len(t)


def order_free_cer(truth, read):
    return cer(" ".join(sorted(truth.split())), " ".join(sorted(read.split())))


def word_recall(truth, read):
    words = truth.split()
    if not words:
        return 1.0
    available = Counter(read.split())
    found = 0
    for word in words:
        if available[word] > 0:
            available[word] -= 1
            found += 1
    return found / len(words)


def plain_tesseract(path):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    run = subprocess.run(["tesseract", path, "-", "-l", "deu"], capture_output=True, text=True, env=env)
    return run.stdout if run.returncode == 0 else None


def main():
    folder, eval_json = sys.argv[1], sys.argv[2]
    truth = {}
    with open(os.path.join(folder, "truth.jsonl")) as lines:
        for line in lines:
            record = json.loads(line)
            truth[record["file"]] = record
    with open(eval_json) as handle:
        report = json.load(handle)
    ours = {row["file"]: row for row in report["documents_detail"]}
    readable = [f for f in truth if truth[f].get("text") and f.rsplit(".", 1)[-1].lower() in ("jpg", "jpeg", "png", "tif", "tiff", "webp")]
    with ThreadPoolExecutor(2) as pool:
        plain = dict(zip(readable, pool.map(lambda f: plain_tesseract(os.path.join(folder, f)), readable)))

    def mean(values):
        values = [v for v in values if v is not None]
        return 100 * sum(values) / len(values) if values else float("nan")

    print("accuracy per capture kind, % (CER / order-free CER / word recall; ours on all files, then ours and plain")
    print("`tesseract FILE - -l deu` on exactly the files tesseract reads: no PDF, no HEIC)")
    print(f"{'capture':9s} {'files':>5s}  {'ours, all files':>22s}  {'same':>4s}  {'ours, same files':>22s}  {'plain tesseract':>22s}")
    figures = {}
    for capture in sorted({r.get("capture") for r in truth.values() if r.get("capture")}):
        files = [f for f in truth if truth[f].get("capture") == capture and truth[f].get("text") and f in ours]
        same = [f for f in files if plain.get(f) is not None]
        def triple(rows):
            return (mean(ours[f].get("cer") for f in rows), mean(ours[f].get("orderFreeCER") for f in rows), mean(ours[f].get("wordRecall") for f in rows))
        if all(ours[f].get("cer") is None for f in files):
            print(f"{capture:9s} {len(files):5d}  text layer read, no OCR: no error rate")
            continue
        all_ours, same_ours = triple(files), triple(same)
        theirs = (mean(cer(truth[f]["text"], plain[f]) for f in same),
                  mean(order_free_cer(truth[f]["text"], plain[f]) for f in same),
                  mean(word_recall(truth[f]["text"], plain[f]) for f in same))
        figures[capture] = all_ours
        fmt = lambda t: f"{t[0]:6.2f} / {t[1]:5.2f} / {t[2]:6.2f}"
        print(f"{capture:9s} {len(files):5d}  {fmt(all_ours):>22s}  {len(same):4d}  {fmt(same_ours):>22s}  {fmt(theirs):>22s}")
    print(f"classes {report['class_correct']}/{report['documents']}, fields {report['fields_correct']}/{report['fields_total']}, "
          f"cases right {report['cases_correct']}, wrong {report['cases_wrong']}, to review {report['cases_sent_to_review']}")
    if "photo" in figures and "scan" in figures:
        p, s = figures["photo"], figures["scan"]
        # fixtures/photo and fixtures/scan hold different documents (other layouts and lengths), so
        # this ratio is only a rough guide; the comparison, photos against scans of the same
        # documents, is step 1b of bench/photos.sh.
        print(f"photo / scan error ratio (ours, all files; different documents, see 1b for the same ones): "
              f"CER {p[0] / s[0]:.2f}x, order-free {p[1] / s[1]:.2f}x")
        print(f"issue-4 targets on photos: word recall {p[2]:.2f}% (>= 97), CER {p[0]:.2f}% and order-free {p[1]:.2f}% (<= 3)")


if __name__ == "__main__":
    main()
