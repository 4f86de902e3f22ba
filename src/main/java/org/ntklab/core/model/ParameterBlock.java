package org.ntklab.core.model;

/**
 * Where a trainable layer's weights lie in the flat parameter vector w (SCIENCE.md): W_layer
 * occupies w[offset, offset + size). Layers are numbered as the weights W_1, W_2, ... of the
 * model's own documentation (frozen layers keep their number but have no block).
 *
 * @param layer  l, from 1
 * @param offset the first coordinate, &gt;= 0
 * @param size   p_l &gt;= 1
 */
public record ParameterBlock(int layer, long offset, long size) {
    public ParameterBlock {
        if (layer < 1 || offset < 0 || size < 1) {
            throw new IllegalArgumentException("need layer >= 1, offset >= 0, size >= 1, got (" + layer + ", "
                    + offset + ", " + size + ")");
        }
    }

    /** One past the last coordinate. */
    public long end() {
        return offset + size;
    }
}
