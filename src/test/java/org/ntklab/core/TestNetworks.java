package org.ntklab.core;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.nn.Init;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.ntklab.core.rng.SeededRandom;

/** Small networks and inputs shared by the core tests. */
public final class TestNetworks {

    /** Hidden-width shapes: shallow, deep, and deep with a bottleneck. */
    public enum Shape {
        SHALLOW(new int[] {6}),
        DEEP(new int[] {5, 4}),
        BOTTLENECK(new int[] {6, 2, 5});

        public final int[] hidden;

        Shape(int[] hidden) {
            this.hidden = hidden;
        }
    }

    private TestNetworks() {
    }

    public static Architecture architecture(int d, Shape shape, int c, Activation activation, OutputMap phi,
            Parameterization parameterization, boolean trainOutput) {
        return Architecture.of(d, shape.hidden, c, activation, phi, parameterization, trainOutput, Init.GAUSSIAN);
    }

    /** Every (activation, output map, frozen/trainable output, shape) combination, c = 2. */
    public static List<Object[]> allCombinations() {
        List<Object[]> out = new ArrayList<>();
        for (Activation a : Activation.values()) {
            for (OutputMap phi : OutputMap.values()) {
                for (boolean trainOutput : new boolean[] {true, false}) {
                    for (Shape shape : Shape.values()) {
                        out.add(new Object[] {a, phi, trainOutput, shape});
                    }
                }
            }
        }
        return out;
    }

    /** An (n, d) matrix of N(0, 1) entries from a fixed stream. */
    public static INDArray gaussian(long seed, int rows, int cols, DataType dtype) {
        SeededRandom random = new SeededRandom(seed);
        double[] values = new double[rows * cols];
        random.fillGaussian(values, 1.0);
        return Nd4j.create(values, new long[] {rows, cols}, DataType.DOUBLE).castTo(dtype);
    }

    /** A length-p vector of N(0, 1) entries. */
    public static INDArray direction(long seed, long p, DataType dtype) {
        return gaussian(seed, 1, Math.toIntExact(p), dtype).reshape(p);
    }
}
