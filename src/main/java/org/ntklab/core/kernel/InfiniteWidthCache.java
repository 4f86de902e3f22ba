package org.ntklab.core.kernel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.nn.Activation;
import org.ntklab.core.nn.Architecture;

/**
 * Recently computed {@link InfiniteWidthKernel.Limit}s, for experiments that share everything
 * Theta_inf depends on and differ only in what it does not (SCIENCE.md: the hidden widths, the
 * seed of the weights): a width sweep over the same data computes each Theta_inf once. The key is
 * the activation, the depth, the trainable pattern and the inputs X themselves (compared in full,
 * as doubles); the widths, the output width c and the output layer's distribution are not part of
 * it. Least recently used entries are dropped beyond {@link #MAX_ENTRIES} entries or
 * {@link #MAX_BYTES} bytes of Theta and X. Thread-safe; the cached Theta is shared, not to be
 * modified.
 */
public final class InfiniteWidthCache {

    /** The most entries kept. */
    public static final int MAX_ENTRIES = 64;
    /** The most bytes of Theta and X kept (n^2 + n d doubles per entry). */
    public static final long MAX_BYTES = 64L << 20;

    private record Key(Activation activation, int depth, List<Boolean> trainable, long rows, double[] x) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && activation == k.activation && depth == k.depth && trainable.equals(k.trainable)
                    && rows == k.rows && Arrays.equals(x, k.x);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * activation.hashCode() + depth) + 7 * trainable.hashCode() + Arrays.hashCode(x);
        }

        long bytes() {
            return 8 * (rows * rows + x.length);
        }
    }

    private final Map<Key, InfiniteWidthKernel.Limit> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /**
     * The cached Theta_inf of this architecture on x, or {@code compute}'s, which is then kept.
     * Concurrent misses on one key may both compute (the results are equal).
     *
     * @param x inputs (n, d); not modified
     */
    public InfiniteWidthKernel.Limit get(Architecture architecture, INDArray x, Supplier<InfiniteWidthKernel.Limit> compute) {
        Boolean[] trainable = new Boolean[architecture.layerCount()];
        for (int l = 1; l <= trainable.length; l++) {
            trainable[l - 1] = architecture.isTrainable(l);
        }
        Key key = new Key(architecture.activation(), architecture.depth(), List.of(trainable), x.rows(),
                x.castTo(DataType.DOUBLE).dup('c').data().asDouble());
        synchronized (this) {
            InfiniteWidthKernel.Limit hit = entries.get(key);
            if (hit != null) {
                return hit;
            }
        }
        InfiniteWidthKernel.Limit limit = compute.get();
        if (key.bytes() <= MAX_BYTES) {
            synchronized (this) {
                if (entries.put(key, limit) == null) {
                    bytes += key.bytes();
                }
                var eldest = entries.entrySet().iterator();
                while (entries.size() > MAX_ENTRIES || bytes > MAX_BYTES) {
                    Key dropped = eldest.next().getKey();
                    eldest.remove();
                    bytes -= dropped.bytes();
                }
            }
        }
        return limit;
    }

    /** The entries kept. */
    public synchronized int size() {
        return entries.size();
    }
}
