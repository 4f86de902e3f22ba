package org.ntklab.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.autodiff.HessianVectorProduct;
import org.ntklab.core.data.DataGenerator;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.Network;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.LanczosOptions;

/**
 * The paper's central claim at small scale (Liu, Zhu &amp; Belkin 2020, Table 1): for a shallow tanh
 * network ||H(w_0)|| falls like m^(-1/2) with a linear output and does not fall with a swish or
 * softmax output, whose Hessian keeps the width-independent term phi''(g) grad g grad g^T.
 */
@Tag("slow")
class PaperClaimTest {

    private static final int[] WIDTHS = {100, 316, 1000, 3162, 10000};
    private static final long[] SEEDS = {1, 2, 3};
    private static final int PROBES = 4;

    @Test
    void hessianNormFallsLikeInverseSquareRootOfWidthOnlyWithALinearOutput() {
        double linear = slope(OutputMap.LINEAR, 1);
        double swish = slope(OutputMap.SWISH, 1);
        double softmax = slope(OutputMap.SOFTMAX, 3);
        // Measured: linear -0.451 (the max over m Gaussian output weights adds a sqrt(log m) factor),
        // swish -0.001, softmax -0.008.
        assertThat(linear).as("linear output").isBetween(-0.6, -0.4);
        assertThat(swish).as("swish output").isBetween(-0.15, 0.15);
        assertThat(softmax).as("softmax output").isBetween(-0.15, 0.15);
    }

    /** Least-squares slope of log ||H(w_0)|| (mean over probes and seeds) against log m. */
    private static double slope(OutputMap phi, int c) {
        double[] logM = new double[WIDTHS.length];
        double[] logH = new double[WIDTHS.length];
        for (int w = 0; w < WIDTHS.length; w++) {
            double sum = 0;
            for (long seed : SEEDS) {
                Architecture arch = Architecture.of(5, new int[] {WIDTHS[w]}, c, Activation.TANH, phi,
                        Parameterization.NTK, true, Init.GAUSSIAN);
                Network net = Network.initialize(arch, seed, DataType.DOUBLE);
                Dataset data = DataGenerator.SPHERE.generate(DataGenerator.SPHERE.defaults(PROBES, 5, c, seed));
                for (int i = 0; i < PROBES; i++) {
                    INDArray x = data.x().getRow(i).dup().reshape(1, 5);
                    sum += Lanczos.estimate(HessianVectorProduct.ofOutput(net, x, 0), LanczosOptions.defaults(seed)).norm();
                }
            }
            logM[w] = Math.log(WIDTHS[w]);
            logH[w] = Math.log(sum / (SEEDS.length * PROBES));
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < logM.length; i++) {
            mx += logM[i] / logM.length;
            my += logH[i] / logH.length;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < logM.length; i++) {
            sxy += (logM[i] - mx) * (logH[i] - my);
            sxx += (logM[i] - mx) * (logM[i] - mx);
        }
        return sxy / sxx;
    }
}
