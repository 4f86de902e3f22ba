package org.ntklab.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.data.Dataset;
import org.ntklab.core.nn.Network;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A network at initialisation and its data, for one (workload, dtype) pair. Built once per trial. */
@State(Scope.Benchmark)
public class Trained {

    @Param({"SHALLOW_1E3", "SHALLOW_1E4", "SHALLOW_1E5", "SHALLOW_1E6", "DEEP3_1E3", "DEEP3_4E3"})
    public Workload workload;

    @Param({"float64", "float32"})
    public String dtype;

    public Network network;
    public Dataset data;

    @Setup
    public void build() {
        DataType type = Workload.dtype(dtype);
        network = Network.initialize(workload.architecture(), workload.seed(), type);
        data = workload.data(type);
    }
}
