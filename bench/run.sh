#!/usr/bin/env bash
# One command for ntklab's benchmarks (see BENCHMARKS.md):
#   bench/run.sh                 everything: build, JMH at 2 and 1 BLAS threads, stack profile, report, memory, NumPy
#   BENCH_STAGES="jmh report" bench/run.sh      only some stages
#   BENCH_STAGES=cases bench/run.sh              whole experiments: service (first job after start-up, warm) vs NumPy
# Stages: build jmh threads profile report memory numpy cases. Results go to target/bench/.
# cases: BENCH_CASES (default "shallow deep3 figure1"; add shallow-cold for the first job without warm-up,
#   shallow-starts for the first job against the second over BENCH_STARTS (10) fresh starts).
# Knobs: BENCH_WARMUP (2), BENCH_ITER (3), BENCH_TIME (1s), BENCH_FILTER (JMH regexp, default all),
#        BENCH_THREADS_FILTER / BENCH_THREADS_PARAMS (the 1-thread subset), BENCH_NUMPY_WIDTHS, BENCH_NUMPY_STEPS.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench
mkdir -p "$out"
stages=${BENCH_STAGES:-"build jmh threads profile report memory numpy"}
wi=${BENCH_WARMUP:-2}
it=${BENCH_ITER:-3}
tm=${BENCH_TIME:-1s}
has() { [[ " $stages " == *" $1 "* ]]; }

if has build || [[ ! -f target/jmh.classpath ]]; then
  ./mvnw -B -q -Pjmh -DskipTests -Dmdep.outputFile=target/jmh.classpath compile dependency:build-classpath
  # the service's configuration and dashboard (the cases stage starts it from these classes)
  ./mvnw -B -q -DskipTests process-resources
fi
cp="target/classes:$(cat target/jmh.classpath)"
# ND4J's arrays live off the Java heap: JavaCPP's limits bound them (10 GB physical in all).
# The Vector API (the engine's SIMD element-wise kernels) is an incubator module in Java 17.
# OpenBLAS's threads sleep as soon as a product ends, as in the service (README, "OpenBLAS threads");
# NumPy keeps OpenBLAS's own default (its lines below drop the variable unless the caller set it).
user_timeout=${OPENBLAS_THREAD_TIMEOUT:-}
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-4}
numpy_env() { if [[ -n $user_timeout ]]; then "$@"; else env -u OPENBLAS_THREAD_TIMEOUT "$@"; fi; }
jvm="--add-modules=jdk.incubator.vector -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=8g -Dorg.bytedeco.javacpp.maxphysicalbytes=10g -Dorg.bytedeco.javacpp.cachedir=$HOME/.javacpp/cache"

jmh() { # threads result.json [jmh args...]; warm-up and measured iteration counts from $wi and $it
  local threads=$1 json=$2
  shift 2
  OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads \
    java -cp "$cp" org.openjdk.jmh.Main -f 1 -wi "$wi" -i "$it" -w "$tm" -r "$tm" \
      -jvmArgsAppend "$jvm" -rf json -rff "$json" "$@" 2>&1 | tee "${json%.json}.log"
}

if has jmh; then
  jmh 2 "$out/omp2.json" ${BENCH_FILTER:-org.ntklab.bench}
fi
if has threads; then
  # Thin Gram products and square GEMMs scale differently with threads: the key operations at 1 thread.
  jmh 1 "$out/omp1.json" ${BENCH_THREADS_PARAMS:--p workload=SHALLOW_1E4,SHALLOW_1E5,DEEP3_4E3 -p dtype=float64} \
    "${BENCH_THREADS_FILTER:-(Kernel|GradientStep|Dgemm|HessianVectorProduct|Activation)Benchmark}"
fi
if has profile; then
  # Where the time goes: JMH's thread-stack sampler (Java frames; a BLAS call shows as its JNI method).
  wi=1 it=2 jmh 2 "$out/profile.json" -p workload=${BENCH_PROFILE_WORKLOAD:-SHALLOW_1E5} -p dtype=float64 \
    -prof "stack:lines=4;top=6;detailLine=true" "(Kernel|GradientStep|HessianVectorProduct|Lanczos)Benchmark" \
    >"$out/profile.txt"
fi
if has report; then
  java -cp "$cp" org.ntklab.bench.Report omp2="$out/omp2.json" omp1="$out/omp1.json" | tee "$out/report.md"
  if [[ -f "$out/omp2-quiet.json" ]]; then # an optional re-run of the target rows on an idle machine
    java -cp "$cp" org.ntklab.bench.Report quiet="$out/omp2-quiet.json" omp1="$out/omp1.json" | tee "$out/report-quiet.md"
  fi
fi
if has memory; then
  # Peak RSS of one shallow m = 1e6, n = 100 experiment (20 steps, kernel every 10, 1 probe), and of a
  # tiny one (m = 1e3) for the JVM + native-library baseline.
  for m in 1000 1000000; do
    OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/time -v java $jvm -cp "$cp" org.ntklab.bench.ExperimentMain \
      "$m" 20 10 1 30 float64 >"$out/memory-$m.log" 2>&1
    grep -E "memoryEstimate.total|wall.seconds|Maximum resident" "$out/memory-$m.log" | sed "s/^/m=$m /"
  done
  # The peak follows JavaCPP's off-heap cap (garbage awaits the GC): the same run under a 7 GiB cap.
  capped=${jvm/maxbytes=8g/maxbytes=6g}
  OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 /usr/bin/time -v java ${capped/maxphysicalbytes=10g/maxphysicalbytes=7g} -cp "$cp" org.ntklab.bench.ExperimentMain \
    1000000 20 10 1 30 float64 >"$out/memory-1000000-cap7g.log" 2>&1
  grep -E "memoryEstimate.total|wall.seconds|Maximum resident" "$out/memory-1000000-cap7g.log" | sed "s/^/m=1000000 cap=7g /"
fi
if has numpy; then
  for m in ${BENCH_NUMPY_WIDTHS:-10000 100000}; do
    steps=${BENCH_NUMPY_STEPS:-50}
    j=$(OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 java $jvm -cp "$cp" org.ntklab.bench.ExperimentMain "$m" "$steps" 10 1 30 float64 | grep wall.seconds)
    p=$(OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 numpy_env python3 bench/numpy_reference.py "$m" "$steps" 10 1 30 | grep wall.seconds)
    echo "experiment m=$m n=100 steps=$steps: ntklab $j, numpy $p" | tee -a "$out/numpy.txt"
  done
fi
if has cases; then
  # Whole experiments, issue 14's rows: the service started fresh per case (readiness waits for its
  # warm-up), its first and second job, and NumPy on the same mathematics; one table at the end.
  BENCH_JVM="${BENCH_JVM:-$jvm}" numpy_env python3 bench/cases.py "$cp" ${BENCH_CASES:-shallow deep3 figure1} | tee "$out/cases.txt"
fi
