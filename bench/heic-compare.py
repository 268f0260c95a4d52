#!/usr/bin/env python3
"""HEIC decoding: the daemon's decoder (`posteingang decode --isolated`, a page's grey image)
beside libheif's `heif-convert` (to Y4M, the cheapest output it writes) and pillow-heif (RGB),
the same files, alternating, in one run. Prints the median milliseconds per decode of each, wall
clock and CPU (user + system, all threads and child processes: on a shared, loaded machine the
CPU figure is the steadier one).

    python3 bench/heic-compare.py .build/release/posteingang FILE.heic…   [ROUNDS=3 in the env]
    python3 bench/heic-compare.py OLD/posteingang,NEW/posteingang FILE.heic…   (two builds side by side)

12 MP files come from `python3 bench/photos-12mp.py /tmp/p12` (photo/*.heic). heif-convert is in
Debian's libheif-examples, pillow-heif on PyPI; a missing one is left out and said so.
"""
import json, os, resource, shutil, statistics, subprocess, sys, tempfile, time

binaries, files = sys.argv[1].split(","), sys.argv[2:]
rounds = int(os.environ.get("ROUNDS", "3"))
try:
    import pillow_heif
except ImportError:
    pillow_heif = None
    print("pillow-heif not installed (pip install pillow-heif): its column is left out")
convert = shutil.which("heif-convert")
if not convert:
    print("heif-convert not installed (apt-get install libheif-examples): its column is left out")
times, cpu = {}, {}


def cpu_seconds(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measure(key, run, who=resource.RUSAGE_CHILDREN, per=1):
    started, used = time.perf_counter(), cpu_seconds(who)
    ms = run()
    times.setdefault(key, []).append(ms if ms is not None else (time.perf_counter() - started) * 1000 / per)
    cpu.setdefault(key, []).append((cpu_seconds(who) - used) * 1000 / per)


scratch = tempfile.mkdtemp()
env = dict(os.environ, OMP_THREAD_LIMIT="1")
for _ in range(rounds):
    for f in files:
        for binary in binaries:
            def ours():
                out = subprocess.run([binary, "decode", "--isolated", "--repeat", "3", f], capture_output=True, text=True, env=env).stdout
                return json.loads(next(l for l in out.splitlines() if l.startswith("{")))["ms_per_decode"]
            name = "posteingang (grey)" if len(binaries) == 1 else f"posteingang {os.path.basename(os.path.dirname(os.path.abspath(binary)))}"
            measure((f, name), ours, per=3)  # CPU includes the command's own start, a third each
        if convert:
            measure((f, "heif-convert (y4m)"),
                    lambda: subprocess.run([convert, f, os.path.join(scratch, "out.y4m")], capture_output=True, check=True) and None)
        if pillow_heif:
            def pillow():
                image = pillow_heif.open_heif(f, convert_hdr_to_8bit=True)
                _ = bytes(image.data)[:1]  # the primary image decoded to RGB
            measure((f, "pillow-heif (RGB)"), pillow, who=resource.RUSAGE_SELF)
shutil.rmtree(scratch)
print("%-34s %-28s %10s %10s" % ("file", "decoder", "median ms", "CPU ms"))
for (f, name), values in sorted(times.items()):
    print("%-34s %-28s %10.0f %10.0f" % (os.path.basename(f), name, statistics.median(values), statistics.median(cpu[(f, name)])))
for label, table in (("wall", times), ("CPU", cpu)):
    by = {}
    for (f, name), values in table.items():
        by.setdefault(name, []).append(statistics.median(values))
    print(f"mean of the medians, {label}: " + ", ".join(f"{n} {statistics.mean(v):.0f} ms" for n, v in sorted(by.items())))
