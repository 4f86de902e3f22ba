package org.ntklab.jobs.spec;

import java.util.List;

/**
 * How large the data may be before the service's own arithmetic overflows: refused at submission
 * (400, naming the first cell too large) rather than failing at run time with a non-finite kernel.
 *
 * <p>The largest numbers an experiment computes are of degree 4 in the data: the sums of squares
 * behind ||K||_F, the kernel spectrum's Krylov norms and ||grad L||^2. Under the NTK scaling each
 * layer maps |a| to O(|a|) (Gaussian weights divided by sqrt(fan-in)), so a tangent-kernel entry
 * is at most about s^2 d G, with s the largest |value| of x and y, d the input dimension and G
 * the gain over the layers, and ||K||_F^2 sums (n c)^2 squares of them. Requiring
 * (n c)^2 (s^2 d G)^2 < MAX of the dtype gives
 * <pre>    s < MAX^(1/4) / sqrt(n c d G)</pre>
 * i.e. about 4e73 for float64 and 1e6 for float32 at n c d = 1e3; data of the paper's kind
 * (unit norm) is 70 orders of magnitude inside it, and 1e308 is far outside.
 */
final class InputMagnitude {

    /**
     * G above: the gain of the forward pass and its derivatives over the layers, bounded by the
     * depth limit (16 hidden layers) times the largest activation slope (1.13, erf) and the spread
     * of random Gaussian layers' norms (a few per layer at the widths allowed); 1e4 covers it with
     * room, and costs less than two orders of magnitude of the range.
     */
    static final double GAIN = 1e4;

    private InputMagnitude() {
    }

    /** The largest |value| of x and y that the experiment's arithmetic in {@code dtype} carries without overflow. */
    static double limit(ExperimentSpecification.Dtype dtype, long n, long c, long d) {
        double max = dtype == ExperimentSpecification.Dtype.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        return Math.sqrt(Math.sqrt(max)) / Math.sqrt((double) Math.max(n, 1) * Math.max(c, 1) * Math.max(d, 1) * GAIN);
    }

    /**
     * Adds at most one violation per matrix: the first cell of {@code a} (already valid: rectangular,
     * finite) whose magnitude is over {@code limit}.
     */
    static void check(String field, double[][] a, double limit, String context, List<Violation> violations) {
        if (a == null) {
            return;
        }
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                if (Math.abs(a[i][j]) > limit) {
                    violations.add(new Violation(field + "[" + i + "][" + j + "]", "is " + a[i][j]
                            + ": the forward pass and tangent kernel of this experiment would overflow; "
                            + context + " every |value| must be at most " + String.format(java.util.Locale.ROOT, "%.3g",
                            limit) + ". Rescale (standardise) the data"));
                    return;
                }
            }
        }
    }

    /** Adds a violation when a generator's scale parameter would put values over {@code limit}. */
    static void checkScale(String field, Double value, double limit, String context, List<Violation> violations) {
        // the generators draw about 1 + separation + 6 noise standard deviations at the most
        if (value != null && Double.isFinite(value) && 1 + value * 6 > limit) {
            violations.add(new Violation(field, "is " + value + ": the data it generates would make the forward pass "
                    + "and tangent kernel of this experiment overflow; " + context + " it must be at most "
                    + String.format(java.util.Locale.ROOT, "%.3g", (limit - 1) / 6)));
        }
    }
}
