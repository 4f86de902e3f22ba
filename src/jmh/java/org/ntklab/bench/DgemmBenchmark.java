package org.ntklab.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * This machine's GEMM rate through the same ND4J and OpenBLAS: C := A B for square size x size
 * matrices into a preallocated C, 2 size^3 flops. The reference every other rate is compared to.
 */
@State(Scope.Benchmark)
public class DgemmBenchmark extends Settings {

    @Param({"2000"})
    public int size;

    @Param({"float64", "float32"})
    public String dtype;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup
    public void prepare() {
        DataType type = Workload.dtype(dtype);
        Nd4j.getRandom().setSeed(3);
        a = Nd4j.rand(type, size, size);
        b = Nd4j.rand(type, size, size);
        c = Nd4j.create(type, size, size);
    }

    @Benchmark
    public INDArray gemm() {
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        return c;
    }
}
