package org.ntklab.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Network;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The activation path of one hidden layer as the first-order forward pass runs it:
 * Activation.TANH.evaluate(z, value, d1, null) on z of shape (n, m), n = 100, m the width of
 * the workload's first hidden layer. Reported per element (n m elements). The cost depends on the
 * inputs (tanh is a polynomial below |x| = 1 and an exponential above, both computed for a vector
 * whose lanes fall on both sides), so two inputs:
 * <ul>
 *   <li>{@code tanh}: z ~ N(0, 1), most vectors of 8 on both sides of |x| = 1 (the costly case);
 *   <li>{@code tanhOfPreActivations}: the workload's own pre-activations Z_1 = s_1 X W_1^T at
 *       initialisation, what its forward pass evaluates (|z| below 1 for 99.8% of them).
 * </ul>
 */
@State(Scope.Benchmark)
public class ActivationBenchmark extends Settings {

    @Param({"SHALLOW_1E3", "SHALLOW_1E4", "SHALLOW_1E5", "SHALLOW_1E6", "DEEP3_1E3", "DEEP3_4E3"})
    public Workload workload;

    @Param({"float64", "float32"})
    public String dtype;

    private INDArray z;
    private INDArray preActivations;
    private INDArray value;
    private INDArray d1;

    @Setup
    public void prepare() {
        DataType type = Workload.dtype(dtype);
        long m = workload.architecture().width(1);
        Nd4j.getRandom().setSeed(7);
        z = Nd4j.randn(type, Workload.N, m);
        Network network = Network.initialize(workload.architecture(), workload.seed(), type);
        preActivations = workload.data(type).x().mmul(network.weight(1).transpose()).muli(network.scale(1)).dup('c');
        value = Nd4j.create(type, Workload.N, m);
        d1 = Nd4j.create(type, Workload.N, m);
    }

    @Benchmark
    public INDArray tanh() {
        Activation.TANH.evaluate(z, value, d1, null);
        return value;
    }

    @Benchmark
    public INDArray tanhOfPreActivations() {
        Activation.TANH.evaluate(preActivations, value, d1, null);
        return value;
    }
}
