package org.ntklab.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.data.ImageGenerator;
import org.ntklab.core.layers.Conv2d;
import org.ntklab.core.layers.ConvArchitecture;
import org.ntklab.core.layers.Layer;
import org.ntklab.core.layers.LayeredHessian;
import org.ntklab.core.layers.LayeredKernel;
import org.ntklab.core.layers.LayeredNetwork;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.OutputMap;
import org.ntklab.core.nn.Parameterization;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A small CNN on n = 20 synthetic 3x8x8 images: two 3x3 conv layers of C channels (same padding,
 * tanh), global average pooling, a dense output (c = 1), float64. Rows: the training step's
 * forward pass plus loss gradient on all 20 images, one exact Hessian-vector product H_0(w; x_0) v
 * (a Hessian probe), and the full tangent kernel K (20 x 20) by Jacobian contraction.
 */
@State(Scope.Benchmark)
public class ConvBenchmark extends Settings {

    @Param({"16", "64", "256"})
    public int channels;

    private LayeredNetwork network;
    private Dataset data;
    private LayeredHessian hessian;
    private INDArray direction;
    private INDArray result;
    private INDArray gradient;

    @Setup
    public void prepare() {
        ConvArchitecture a = new ConvArchitecture(ConvArchitecture.Kind.CNN, new int[] {3, 8, 8},
                new int[] {channels, channels}, 3, 1, Conv2d.Padding.SAME, 0, null, ConvArchitecture.Pooling.AVERAGE,
                Activation.TANH, OutputMap.LINEAR, 1, Parameterization.NTK);
        network = LayeredNetwork.initialize(a.build(), 1, DataType.DOUBLE);
        data = ImageGenerator.generate(20, 3, 8, 8, 1, 1, DataType.DOUBLE);
        hessian = LayeredHessian.ofOutput(network, data.x().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup(),
                0);
        long p = network.parameterCount();
        direction = Nd4j.rand(DataType.DOUBLE, p).subi(0.5);
        result = Nd4j.create(DataType.DOUBLE, p);
        gradient = Nd4j.create(DataType.DOUBLE, p);
    }

    @Benchmark
    public INDArray forwardBackward() {
        Layer.Trace trace = network.forward(data.x());
        network.vjp(trace, trace.output().sub(data.y()).divi(20), gradient);
        return gradient;
    }

    @Benchmark
    public INDArray hvp() {
        hessian.apply(direction, result);
        return result;
    }

    @Benchmark
    public INDArray kernel() {
        return LayeredKernel.full(network, data.x());
    }
}
