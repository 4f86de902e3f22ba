package org.ntklab.core.spectral;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

public interface LinearOperator {
    long dimension();
    DataType dataType();
    void apply(INDArray x, INDArray y);
}
