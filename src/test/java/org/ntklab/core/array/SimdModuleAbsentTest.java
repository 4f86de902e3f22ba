package org.ntklab.core.array;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.nn.Activation;

/**
 * A JVM started without {@code --add-modules=jdk.incubator.vector} loads and runs the engine: no
 * class touches the Vector API, the path is "scalar", and the numbers are the same bits as this
 * (vector) JVM's.
 */
class SimdModuleAbsentTest {

    @Test
    void withoutTheModuleTheEngineRunsItsScalarLoopsAndGivesTheSameBits() throws Exception {
        assertThat(Simd.path()).isNotEqualTo(Simd.Path.SCALAR);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m",
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                        Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString()),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName());
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        List<String> lines = out.lines().filter(l -> l.startsWith("probe ")).toList();
        assertThat(lines).as(out).containsExactly("probe path scalar", "probe sum " + Probe.checksum());
        assertThat(out).contains("element-wise kernels: scalar loops");
    }

    /** Run in the child JVM: prints the path and a bit-exact checksum of some kernels' outputs. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("probe path " + Simd.path().label());
            System.out.println("probe sum " + checksum());
        }

        static long checksum() {
            INDArray z = Nd4j.linspace(-40, 40, 100_003, DataType.DOUBLE);
            INDArray v = Nd4j.create(DataType.DOUBLE, z.shape());
            INDArray d1 = Nd4j.create(DataType.DOUBLE, z.shape());
            INDArray d2 = Nd4j.create(DataType.DOUBLE, z.shape());
            long sum = 0;
            for (Activation sigma : Activation.values()) {
                sigma.evaluate(z, v, d1, d2);
                for (INDArray a : new INDArray[] {v, d1, d2}) {
                    for (double x : a.toDoubleVector()) {
                        sum = 31 * sum + Double.doubleToLongBits(x);
                    }
                }
            }
            INDArray e = z.dup();
            double[] heap = e.toDoubleVector();
            Elementwise.exp(heap, heap.length);
            for (double x : heap) {
                sum = 31 * sum + Double.doubleToLongBits(x);
            }
            return sum;
        }
    }
}
