#!/bin/sh
# Starts ntklab in a container, with the JVM heap and ND4J's off-heap memory sized from the
# container's memory limit L (cgroup v2 memory.max, else cgroup v1 memory.limit_in_bytes, else
# the machine's MemTotal when the container is unlimited):
#
#   heap                                 -XX:MaxRAMPercentage=JAVA_HEAP_PERCENT            (default 25 % of L)
#   ND4J arrays (JavaCPP tracked bytes)  -Dorg.bytedeco.javacpp.maxbytes = L x JAVACPP_MAXBYTES_PERCENT / 100
#                                                                                        (default 60 % of L)
#   whole process (resident set)         -Dorg.bytedeco.javacpp.maxphysicalbytes = L x JAVACPP_MAXPHYSICALBYTES_PERCENT / 100
#                                                                                        (default 90 % of L)
#
# Past maxbytes or maxphysicalbytes an ND4J allocation throws OutOfMemoryError (the experiment
# fails) instead of the kernel killing the container. The rest of L (metaspace, thread stacks,
# code cache, the native libraries) is the 10 % headroom.
#
# The Vector API (the engine's SIMD element-wise kernels) is the incubator module
# jdk.incubator.vector: VECTOR_API=auto (the default) adds --add-modules=jdk.incubator.vector when
# the runtime has the module, on adds it always, off never (the engine then runs scalar loops and
# says so in the log).
#
# JAVA_OPTS is appended after these options, so an -Xmx or -D given there wins. Its words are
# split on spaces (no quoting). JAVACPP_CACHEDIR is where ND4J unpacks its native libraries
# (about 400 MiB, on first start). Arguments are passed to the application, e.g. --ntklab.workers=2.
# ENTRYPOINT_DRY_RUN=true prints the java command instead of running it; CGROUP_ROOT and
# PROC_MEMINFO move the files read (both for tests).
set -eu

cgroup_root=${CGROUP_ROOT:-/sys/fs/cgroup}
meminfo=${PROC_MEMINFO:-/proc/meminfo}

total_kib=$(awk '/^MemTotal:/ { print $2 }' "$meminfo")
limit=$((total_kib * 1024))
if [ -r "$cgroup_root/memory.max" ]; then
  cgroup_limit=$(cat "$cgroup_root/memory.max")
elif [ -r "$cgroup_root/memory/memory.limit_in_bytes" ]; then
  cgroup_limit=$(cat "$cgroup_root/memory/memory.limit_in_bytes")
else
  cgroup_limit=max
fi
# cgroup v2 writes "max" when unlimited, cgroup v1 a number near 2^63.
if [ "$cgroup_limit" != max ] && [ "$cgroup_limit" -lt "$limit" ]; then
  limit=$cgroup_limit
fi

heap_percent=${JAVA_HEAP_PERCENT:-25}
maxbytes=$((limit * ${JAVACPP_MAXBYTES_PERCENT:-60} / 100))
maxphysicalbytes=$((limit * ${JAVACPP_MAXPHYSICALBYTES_PERCENT:-90} / 100))

vector_flag=
case "${VECTOR_API:-auto}" in
  on) vector_flag=--add-modules=jdk.incubator.vector ;;
  off) ;;
  *) if java --list-modules 2>/dev/null | grep -q '^jdk\.incubator\.vector@'; then
       vector_flag=--add-modules=jdk.incubator.vector
     fi ;;
esac

set -f # JAVA_OPTS is split into words, never expanded as a glob
set -- java \
  ${vector_flag} \
  "-XX:MaxRAMPercentage=$heap_percent" \
  "-Dorg.bytedeco.javacpp.cachedir=${JAVACPP_CACHEDIR:-/var/cache/javacpp}" \
  "-Dorg.bytedeco.javacpp.maxbytes=$maxbytes" \
  "-Dorg.bytedeco.javacpp.maxphysicalbytes=$maxphysicalbytes" \
  ${JAVA_OPTS:-} \
  org.springframework.boot.loader.launch.JarLauncher "$@"

if [ "${ENTRYPOINT_DRY_RUN:-false}" = true ]; then
  echo "$@"
  exit 0
fi
echo "ntklab: memory limit $limit bytes; heap $heap_percent %, javacpp maxbytes $maxbytes, maxphysicalbytes $maxphysicalbytes; vector API ${vector_flag:-off}" >&2
exec "$@"
