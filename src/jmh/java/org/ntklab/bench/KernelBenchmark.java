package org.ntklab.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.kernel.TangentKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The structured tangent kernel K = J J^T from a forward pass computed in setup. */
@State(Scope.Benchmark)
public class KernelBenchmark extends Settings {

    private ForwardPass pass;

    @Setup
    public void forward(Trained t) {
        pass = ForwardPass.run(t.network, t.data.x());
    }

    @Benchmark
    public INDArray kernel() {
        return TangentKernel.full(pass);
    }
}
