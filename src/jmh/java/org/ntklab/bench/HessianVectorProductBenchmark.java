package org.ntklab.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.autodiff.Derivatives;
import org.ntklab.core.autodiff.ForwardPass;
import org.ntklab.core.autodiff.HessianVectorProduct;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One exact Hessian-vector product H_0(w; x_0) v (a Hessian probe: one input, output 0), and, for
 * the "HVP within 4x of a forward + backward" target, one forward pass plus one gradient
 * (VJP) of the same single input.
 */
@State(Scope.Benchmark)
public class HessianVectorProductBenchmark extends Settings {

    private HessianVectorProduct operator;
    private INDArray direction;
    private INDArray result;
    private INDArray probe;
    private INDArray cotangent;
    private INDArray gradient;

    @Setup
    public void prepare(Trained t) {
        probe = t.data.x().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup();
        operator = HessianVectorProduct.ofOutput(t.network, probe, 0);
        long p = t.network.parameterCount();
        direction = Nd4j.rand(t.network.dataType(), p).subi(0.5);
        result = Nd4j.create(t.network.dataType(), p);
        cotangent = Nd4j.ones(t.network.dataType(), 1, Workload.C);
        gradient = Nd4j.create(t.network.dataType(), p);
    }

    @Benchmark
    public INDArray hvp() {
        operator.apply(direction, result);
        return result;
    }

    @Benchmark
    public INDArray forwardBackward(Trained t) {
        ForwardPass pass = ForwardPass.run(t.network, probe);
        Derivatives.vjp(pass, cotangent, gradient);
        return gradient;
    }
}
