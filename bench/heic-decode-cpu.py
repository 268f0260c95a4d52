#!/usr/bin/env python3
"""CPU and wall time per decode of `posteingang decode --isolated`, two builds side by side in one run
(CPU from the children's rusage: fairer than wall time on a loaded machine).

    OMP_THREAD_LIMIT=1 python3 bench/heic-decode-cpu.py BEFORE_BINARY AFTER_BINARY FILE.heic…
"""
before, after, files = sys.argv[1], sys.argv[2], sys.argv[3:]
R = 3
cores = str(os.sysconf("SC_NPROCESSORS_ONLN"))
res = {}
for rnd in range(2):
    for f in files:
        for label, cmd in [("before", [before, "decode", "--isolated", "--repeat", str(R), f]),
                           ("after t=" + cores, [after, "decode", "--isolated", "--threads", cores, "--repeat", str(R), f]),
                           ("after t=1", [after, "decode", "--isolated", "--threads", "1", "--repeat", str(R), f])]:
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.monotonic()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN); t1 = time.monotonic()
            cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) / R * 1000
            res.setdefault((f, label), []).append((cpu, (t1 - t0) / R * 1000))
print("%-40s %-10s %12s %12s" % ("file", "build", "cpu ms", "wall ms"))
for f in files:
    b = statistics.median(c for c, _ in res[(f, "before")])
    for label in ["before", "after t=" + cores, "after t=1"]:
        c = statistics.median(c for c, _ in res[(f, label)]); w = statistics.median(w for _, w in res[(f, label)])
        print("%-40s %-10s %12.0f %12.0f %s" % (f[-40:], label, c, w, "" if label == "before" else "cpu x%.2f" % (b / c)))
