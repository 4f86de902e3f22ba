package org.ntklab.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ntklab.core.nn.Activation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The activation path of one hidden layer as the first-order forward pass runs it:
 * Activation.TANH.evaluate(z, value, d1, null) on z of shape (n, m), n = 100, m the width of
 * the workload's first hidden layer. Reported per element (n m elements).
 */
@State(Scope.Benchmark)
public class ActivationBenchmark extends Settings {

    @Param({"SHALLOW_1E3", "SHALLOW_1E4", "SHALLOW_1E5", "SHALLOW_1E6", "DEEP3_1E3", "DEEP3_4E3"})
    public Workload workload;

    @Param({"float64", "float32"})
    public String dtype;

    private INDArray z;
    private INDArray value;
    private INDArray d1;

    @Setup
    public void prepare() {
        DataType type = Workload.dtype(dtype);
        long m = workload.architecture().width(1);
        Nd4j.getRandom().setSeed(7);
        z = Nd4j.randn(type, Workload.N, m);
        value = Nd4j.create(type, Workload.N, m);
        d1 = Nd4j.create(type, Workload.N, m);
    }

    @Benchmark
    public INDArray tanh() {
        Activation.TANH.evaluate(z, value, d1, null);
        return value;
    }
}
