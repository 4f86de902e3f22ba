package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.npy.NpyArray;
import org.ntklab.core.data.npy.NpzReader;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.train.Loss;
import org.ntklab.core.train.ProgressListener;

class ExportsTest {

    private static ExperimentOutcome run(Architecture arch, Dataset data) {
        ExperimentSpec spec = new ExperimentSpec(arch, DataType.DOUBLE, 11, data,
                new TrainingSpec(new LearningRate.Auto(0.5), 10, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(5, List.of(), HessianSchedule.INIT, LanczosOptions.defaults(1), false));
        return new ExperimentRunner().run(spec, ProgressListener.NONE, () -> false);
    }

    @Test
    void initialArchiveHoldsDataAndEveryLayerBitExactly() throws Exception {
        Architecture arch = Architecture.of(3, new int[] {8, 5}, 2, Activation.GELU, OutputMap.LINEAR,
                Parameterization.NTK, false, Init.RADEMACHER);
        Dataset data = DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(6, 3, 2, 4));
        ExperimentOutcome outcome = run(arch, data);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Exports.writeInitial(bytes, outcome.initial(), data);
        Map<String, NpyArray> arrays = NpzReader.read(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(arrays.keySet()).containsExactly("X", "Y", "W1", "W2", "W3");
        assertThat(arrays.get("W1").shape()).containsExactly(8, 3);
        assertThat(arrays.get("W3").shape()).containsExactly(2, 5);
        assertThat(arrays.get("X")).isEqualTo(NpyArray.of(data.x()));
        for (int l = 1; l <= 3; l++) {
            assertThat(arrays.get("W" + l).toINDArray().equalsWithEps(outcome.initial().weight(l), 0.0)).isTrue();
        }
    }

    /**
     * The independent recomputation SCIENCE.md promises: NumPy, from the exported arrays alone,
     * builds the explicit Jacobian of a tanh network by hand-written backpropagation and finds ||K0||_F.
     * Runs where python3 with NumPy is installed.
     */
    @Test
    void numpyRecomputesTheKernelNormFromTheExport(@TempDir Path dir) throws Exception {
        assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
        Architecture arch = Architecture.of(3, new int[] {16, 12}, 1, Activation.TANH, OutputMap.LINEAR,
                Parameterization.NTK, true, Init.GAUSSIAN);
        Dataset data = DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(7, 3, 1, 4));
        ExperimentOutcome outcome = run(arch, data);
        Path npz = dir.resolve("initial.npz");
        Exports.writeInitial(Files.newOutputStream(npz), outcome.initial(), data);
        String script = String.join("\n",
                "import numpy as np, sys",
                "a = np.load(sys.argv[1]); X, W1, W2, W3 = a['X'], a['W1'], a['W2'], a['W3']",
                "rows = []",
                "for x in X:",
                "    z1 = W1 @ x / np.sqrt(len(x)); a1 = np.tanh(z1)",
                "    z2 = W2 @ a1 / np.sqrt(len(a1)); a2 = np.tanh(z2)",
                "    d2 = W3[0] / np.sqrt(len(a2)) * (1 - a2**2)",
                "    d1 = (W2.T @ d2) / np.sqrt(len(a1)) * (1 - a1**2)",
                "    g1 = np.outer(d1, x) / np.sqrt(len(x)); g2 = np.outer(d2, a1) / np.sqrt(len(a1))",
                "    g3 = a2 / np.sqrt(len(a2))",
                "    rows.append(np.concatenate([g1.ravel(), g2.ravel(), g3.ravel()]))",
                "J = np.array(rows); print(repr(float(np.linalg.norm(J @ J.T))))");
        Process p = new ProcessBuilder("python3", "-c", script, npz.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        double numpy = Double.parseDouble(out);
        assertThat(outcome.result().kernelNormInit()).isCloseTo(numpy, org.assertj.core.data.Offset.offset(1e-12 * numpy));
    }

    /**
     * Kinf recomputed by NumPy from the exported X alone (SCIENCE.md's recursion, relu arc-cosine
     * kernels written with arccos), and dK_inf at init from the exported K0: the export and the
     * reported number follow the definition. Runs where python3 with NumPy is installed.
     */
    @Test
    void numpyRecomputesTheInfiniteWidthKernelFromTheExport(@TempDir Path dir) throws Exception {
        assumeTrue(numpyAvailable(), "python3 with numpy is not installed");
        Architecture arch = new Architecture(3, new int[] {16, 12}, 2, Activation.RELU, OutputMap.LINEAR,
                Parameterization.NTK, new boolean[] {false, true, true}, Init.GAUSSIAN);
        Dataset data = DataGenerator.GAUSSIAN_MIXTURE.generate(DataGenerator.GAUSSIAN_MIXTURE.defaults(7, 3, 2, 4));
        ExperimentSpec spec = new ExperimentSpec(arch, DataType.DOUBLE, 11, data,
                new TrainingSpec(new LearningRate.Auto(0.5), 3, -1, Loss.SQUARED_ERROR),
                new MeasurementSpec(5, List.of(), HessianSchedule.INIT, LanczosOptions.defaults(1), false, true));
        ExperimentOutcome outcome = new ExperimentRunner().run(spec, ProgressListener.NONE, () -> false);
        Path initial = dir.resolve("initial.npz");
        Path kernels = dir.resolve("kernels.npz");
        Exports.writeInitial(Files.newOutputStream(initial), outcome.initial(), data);
        Exports.writeKernels(Files.newOutputStream(kernels), outcome.kernelInit(), outcome.kernelLast(),
                outcome.kernelInfinite());
        String script = String.join("\n",
                "import numpy as np, sys",
                "X = np.load(sys.argv[1])['X']; k = np.load(sys.argv[2]); K0, Kinf = k['K0'], k['Kinf']",
                "def relu(C):",
                "    d = np.sqrt(np.diag(C)); r = np.clip(C / np.outer(d, d), -1, 1); t = np.arccos(r)",
                "    np.fill_diagonal(t, 0)",
                "    return np.outer(d, d) * (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi), (np.pi - t) / (2 * np.pi)",
                "C0 = X @ X.T / X.shape[1]; C1, D1 = relu(C0); C2, D2 = relu(C1)",
                "T = C1 * D2 + C2", // layers 2 and 3 trainable, layer 1 frozen
                "L = np.kron(T, np.eye(2))",
                "print(repr(float(np.abs(T - Kinf).max() / np.abs(T).max())), repr(float(np.linalg.norm(K0 - L) / np.linalg.norm(L))))");
        Process p = new ProcessBuilder("python3", "-c", script, initial.toString(), kernels.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] numbers = out.split(" ");
        // arccos is accurate away from angle 0: the diagonal is set to 0 exactly, the other angles lie well inside (0, pi)
        assertThat(Double.parseDouble(numbers[0])).isLessThan(1e-12);
        assertThat(outcome.result().infiniteWidthKernel().distanceInit())
                .isCloseTo(Double.parseDouble(numbers[1]), org.assertj.core.data.Offset.offset(1e-12));
    }

    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
