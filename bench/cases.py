#!/usr/bin/env python3
"""Whole experiments, service against NumPy, from one run (issue 14's rows; bench/run.sh stage `cases`).

For each case it starts the service in a fresh JVM (the same classes and dependencies as the
packaged jar, `java -cp ... org.ntklab.NtklabApplication`, an empty H2 database in a temporary
directory), waits for readiness (which waits for the engine's warm-up), submits the experiment,
waits for it, submits it again, and stops the service: "first" is the first job after start-up,
"warm" the second. Times are the result's durationSeconds (claim to result, exports included); the
timings breakdown of each job is printed too. NumPy runs bench/numpy_reference.py on the same
mathematics in float64, in the same run, with the same thread count.

    python3 bench/cases.py CLASSPATH [case ...]      cases: shallow deep3 figure1 shallow-cold shallow-starts
Environment: BENCH_JVM (JVM options), BENCH_THREADS (OMP/OpenBLAS threads, default 2),
BENCH_SERVICE_ARGS (extra --key=value arguments for the service), BENCH_WARM=0 (skip the second
job), BENCH_FIGURE1_WIDTHS (default "10000 100000"), BENCH_STARTS (default 10).

"<case>-starts" asks whether the first job is as fast as the second, which one start cannot tell:
one job's time varies by 10-20% on a shared machine. It starts the service BENCH_STARTS times, runs
the case's first experiment three times in each, and prints the medians of first/second and, as
the yardstick of that noise, third/second.
"""
import statistics
import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
THREADS = os.environ.get("BENCH_THREADS", "2")
ENV = dict(os.environ, OMP_NUM_THREADS=THREADS, OPENBLAS_NUM_THREADS=THREADS)
# The service as the container image, the Helm chart and spring-boot:run start it (README, "OpenBLAS
# threads"); NumPy as a user runs it, with OpenBLAS's own default, unless the caller set the variable.
SERVICE_ENV = dict(ENV)
SERVICE_ENV.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")


def shallow_like(hidden, steps, every, n=100, d=10, c=1, output="linear", frozen=False, probes=2,
                 hessian_at="init-and-end", lanczos_steps=30, tol=None):
    """(service spec, numpy_reference.py arguments) of one experiment."""
    measurements = {"kernelEvery": every, "hessianProbes": [{"index": i} for i in range(probes)],
                    "hessianAt": hessian_at, "linearizationError": False}
    if tol is None:  # exactly lanczos_steps steps
        measurements.update(lanczosMaxIter=lanczos_steps, lanczosTol=1e-300)
    else:
        measurements.update(lanczosMaxIter=lanczos_steps, lanczosTol=tol)
    network = {"hiddenWidths": hidden, "activation": "tanh", "outputMap": output, "outputDim": c}
    if frozen:
        network.update(trainOutputLayer=False, outputInit="rademacher")
    spec = {"name": "bench", "seed": 1, "network": network,
            "data": {"generator": "sphere", "n": n, "inputDim": d},
            "training": {"learningRate": {"auto": 0.5}, "steps": steps}, "measurements": measurements}
    args = ["--hidden", ",".join(map(str, hidden)), "--n", str(n), "--d", str(d), "--c", str(c),
            "--output", output, "--steps", str(steps), "--kernel-every", str(every), "--probes", str(probes),
            "--lanczos-steps", str(lanczos_steps), "--tol", str(tol or 0.0), "--hessian-at", hessian_at]
    if frozen:
        args.append("--frozen")
    return spec, args


CASES = {
    "shallow": ("shallow tanh, m = 1e4, n = 100, d = 10, 200 steps, kernel every 50",
                [shallow_like([10000], 200, 50)]),
    "deep3": ("three hidden layers of 1000, n = 100, d = 10, 100 steps, kernel every 25",
              [shallow_like([1000, 1000, 1000], 100, 25)]),
    "figure1": ("figure 1 (left), m = 1e4 and 1e5, linear/swish/softmax (c = 3), frozen +-1 output, n = 20, d = 5, "
                "1000 steps, kernel every 50, ||H(w0)|| of one probe to 1e-6: sum of six runs",
                [shallow_like([m], 1000, 50, n=20, d=5, c=3, output=o, frozen=True, probes=1, hessian_at="init",
                              lanczos_steps=100, tol=1e-6)
                 for m in map(int, os.environ.get("BENCH_FIGURE1_WIDTHS", "10000 100000").split())
                 for o in ("linear", "swish", "softmax")]),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return None, b""


class Service:
    def __init__(self, classpath, extra=()):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="ntklab-bench-")
        jvm = shlex.split(os.environ.get("BENCH_JVM", "-Xmx2g"))
        args = ["--server.port=%d" % self.port,
                "--spring.datasource.url=jdbc:h2:file:%s/db;DB_CLOSE_ON_EXIT=FALSE" % self.dir,
                "--ntklab.memory-budget=16GB"] + shlex.split(os.environ.get("BENCH_SERVICE_ARGS", "")) + list(extra)
        self.log = open(os.path.join(self.dir, "service.log"), "w")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(["java"] + jvm + ["-cp", classpath, "org.ntklab.NtklabApplication"] + args,
                                     stdout=self.log, stderr=subprocess.STDOUT, env=SERVICE_ENV)
        self.base = "http://127.0.0.1:%d" % self.port
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("the service exited; see " + self.log.name)
            status, _ = http("GET", self.base + "/actuator/health/readiness")
            if status == 200:
                break
            time.sleep(0.5)
        self.ready_seconds = time.perf_counter() - self.started

    def run(self, spec):
        status, body = http("POST", self.base + "/api/v1/experiments", spec)
        if status != 202:
            raise RuntimeError("submission refused: %s %s" % (status, body[:500]))
        job = json.loads(body)
        while job["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
            time.sleep(0.2)
            job = json.loads(http("GET", self.base + "/api/v1/experiments/" + job["id"])[1])
        if job["status"] != "SUCCEEDED":
            raise RuntimeError("experiment %s: %s" % (job["status"], job.get("error")))
        return job["result"]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def numpy_seconds(args):
    out = subprocess.run([sys.executable, os.path.join(HERE, "numpy_reference.py")] + args, env=ENV,
                         capture_output=True, text=True, check=True).stdout
    return float(out.split("wall.seconds=")[1].split()[0]), out.strip().splitlines()[-1]


def breakdown(result):
    t = result.get("timings") or {}
    phases = " ".join("%s %.2f" % (k, v) for k, v in (t.get("phases") or {}).items())
    probes = " ".join("%.2f" % p["seconds"] for p in t.get("hessianProbes") or [])
    return "%s | probes %s" % (phases, probes)


def starts(classpath, name, count):
    """The first job against the second (and the third against the second) over `count` fresh starts."""
    spec = CASES[name][1][0][0]
    firsts, thirds = [], []
    for start in range(count):
        service = Service(classpath)
        seconds = [service.run(spec)["durationSeconds"] for _ in range(3)]
        service.stop()
        firsts.append(seconds[0] / seconds[1])
        thirds.append(seconds[2] / seconds[1])
        print("[%s-starts] start %d: ready after %.1f s, jobs %.2f %.2f %.2f s" % (
            name, start + 1, service.ready_seconds, *seconds), flush=True)
    print("[%s-starts] over %d starts: first/second median %.3f (%d above 1, range %.2f-%.2f); "
          "third/second median %.3f (%d above 1, range %.2f-%.2f)" % (
              name, count, statistics.median(firsts), sum(r > 1 for r in firsts), min(firsts), max(firsts),
              statistics.median(thirds), sum(r > 1 for r in thirds), min(thirds), max(thirds)), flush=True)


def main():
    classpath = sys.argv[1]
    names = sys.argv[2:] or ["shallow", "deep3", "figure1"]
    rows = []
    for name in names:
        if name.endswith("-starts"):
            starts(classpath, name[:-len("-starts")], int(os.environ.get("BENCH_STARTS", "10")))
            continue
        cold = name.endswith("-cold")
        title, runs = CASES[name.replace("-cold", "")]
        extra = ["--ntklab.warmup.enabled=false"] if cold else []
        service = Service(classpath, extra)
        print("[%s] service ready after %.1f s%s" % (name, service.ready_seconds, " (warm-up off)" if cold else ""),
              flush=True)
        first, warm = 0.0, 0.0
        for spec, _ in runs:
            r = service.run(spec)
            first += r["durationSeconds"]
            print("[%s] first: %.2f s  %s" % (name, r["durationSeconds"], breakdown(r)), flush=True)
        repeat = not cold and os.environ.get("BENCH_WARM", "1") != "0"
        if repeat:
            for spec, _ in runs:
                r = service.run(spec)
                warm += r["durationSeconds"]
                print("[%s] warm:  %.2f s  %s" % (name, r["durationSeconds"], breakdown(r)), flush=True)
        service.stop()
        numpy = 0.0
        if not cold:
            for _, args in runs:
                seconds, summary = numpy_seconds(args)
                numpy += seconds
                print("[%s] numpy: %.2f s  %s" % (name, seconds, summary), flush=True)
        rows.append((title + (" (warm-up off)" if cold else ""), first, warm if repeat else None,
                     None if cold else numpy))
    if not rows:
        return
    load = os.getloadavg()
    print("\nload average %.1f %.1f %.1f on %d cores, %s threads\n" % (load + (os.cpu_count(), THREADS)))
    print("| case | service, first job after start-up | service, warm | NumPy | first / NumPy |")
    print("|---|---:|---:|---:|---:|")
    for title, first, warm, numpy in rows:
        print("| %s | %.2f s | %s | %s | %s |" % (title, first, "—" if warm is None else "%.2f s" % warm,
                                                 "—" if numpy is None else "%.2f s" % numpy,
                                                 "—" if not numpy else "%.2f" % (first / numpy)))


if __name__ == "__main__":
    main()
