package org.ntklab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Run settings shared by every benchmark: short runs for a shared two-core machine (one fork, two
 * warm-up and three measured iterations of 1 s; an operation slower than 1 s runs once per
 * iteration). The fork gets room for the shallow m = 1e6 case (about 3 GB off-heap in float64):
 * ND4J's buffers live outside the Java heap, bounded by JavaCPP's maxbytes and maxphysicalbytes.
 * bench/run.sh passes the same JVM arguments explicitly (and the JavaCPP cache directory). The
 * Vector API module is on, as wherever the engine runs (its SIMD element-wise kernels).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=8g",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=10g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public abstract class Settings {
}
