package org.ntklab.core.rng;

import java.util.SplittableRandom;

/**
 * A deterministic random stream: the same {@code (seed, stream)} pair gives the same numbers on
 * every machine, JDK and thread count.
 *
 * <p>Uniforms come from {@link SplittableRandom#nextDouble()}, whose algorithm is fixed by its
 * specification; Gaussians use the Marsaglia polar method on those uniforms (not
 * {@code RandomGenerator.nextGaussian}, whose algorithm is an implementation detail of the JDK).
 * Independent streams for different purposes (layer 1's weights, layer 2's, the data) are
 * derived from one experiment seed by {@link #stream(long, long)}, so adding a layer never
 * changes the numbers drawn for another.
 *
 * <p>Not thread-safe: one instance per consumer.
 */
public final class SeededRandom {

    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpare;

    public SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The stream numbered {@code stream} of the experiment seed {@code seed}. */
    public static SeededRandom stream(long seed, long stream) {
        return new SeededRandom(mix(seed * 0x9E3779B97F4A7C15L + mix(stream + 0x632BE59BD9B4E019L)));
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Standard normal N(0, 1). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * random.nextDouble() - 1.0;
            v = 2.0 * random.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double scale = Math.sqrt(-2.0 * Math.log(s) / s);
        spareGaussian = v * scale;
        hasSpare = true;
        return u * scale;
    }

    /** Fills {@code out} with independent N(0, std^2) values. */
    public void fillGaussian(double[] out, double std) {
        for (int i = 0; i < out.length; i++) {
            out[i] = std * nextGaussian();
        }
    }

    /** Fills {@code out} with independent values drawn uniformly from {-amplitude, +amplitude}. */
    public void fillRademacher(double[] out, double amplitude) {
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextBoolean() ? amplitude : -amplitude;
        }
    }

    /** A 64-bit finaliser (Stafford's variant 13) so nearby seeds give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
