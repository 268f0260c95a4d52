#!/usr/bin/env python3
"""HEIC decoding: the daemon's decoder (`posteingang decode --isolated`, a page's grey image)
beside libheif's `heif-convert` (to Y4M, the cheapest output it writes) and pillow-heif (RGB),
the same files, alternating, in one run. Prints the median milliseconds per decode of each.

    python3 bench/heic-compare.py .build/release/posteingang FILE.heic…   [ROUNDS=3 in the env]

12 MP files come from `python3 bench/photos-12mp.py /tmp/p12` (photo/*.heic). heif-convert is in
Debian's libheif-examples, pillow-heif on PyPI; a missing one is left out and said so.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

binary, files = sys.argv[1], sys.argv[2:]
rounds = int(os.environ.get("ROUNDS", "3"))
try:
    import pillow_heif
except ImportError:
    pillow_heif = None
    print("pillow-heif not installed (pip install pillow-heif): its column is left out")
convert = shutil.which("heif-convert")
if not convert:
    print("heif-convert not installed (apt-get install libheif-examples): its column is left out")
times = {}
scratch = tempfile.mkdtemp()
env = dict(os.environ, OMP_THREAD_LIMIT="1")
for _ in range(rounds):
    for f in files:
        out = subprocess.run([binary, "decode", "--isolated", "--repeat", "3", f], capture_output=True, text=True, env=env).stdout
        row = json.loads(next(l for l in out.splitlines() if l.startswith("{")))
        times.setdefault((f, "posteingang (grey)"), []).append(row["ms_per_decode"])
        if convert:
            started = time.perf_counter()
            subprocess.run([convert, f, os.path.join(scratch, "out.y4m")], capture_output=True, check=True)
            times.setdefault((f, "heif-convert (y4m)"), []).append((time.perf_counter() - started) * 1000)
        if pillow_heif:
            started = time.perf_counter()
            image = pillow_heif.open_heif(f, convert_hdr_to_8bit=True)
            image.load()  # decodes
            _ = image.data
            times.setdefault((f, "pillow-heif (RGB)"), []).append((time.perf_counter() - started) * 1000)
shutil.rmtree(scratch)
print("%-34s %-20s %10s" % ("file", "decoder", "median ms"))
for (f, name), values in sorted(times.items()):
    print("%-34s %-20s %10.0f" % (os.path.basename(f), name, statistics.median(values)))
by = {}
for (f, name), values in times.items():
    by.setdefault(name, []).append(statistics.median(values))
print("mean of the medians: " + ", ".join(f"{n} {statistics.mean(v):.0f} ms" for n, v in sorted(by.items())))
