package org.ntklab.jobs.spec;

import java.util.List;

/** Checks of a supplied matrix (x or y) as JSON gives it: rows of numbers. */
final class Matrices {

    private Matrices() {
    }

    /**
     * Adds at most one violation: {@code a} must have at least one row, rows of one non-zero
     * length, at most {@code maxValues} values, all finite. The field names the first bad row
     * ({@code data.x[3]}) or cell ({@code data.x[3][1]}).
     */
    static void validate(String field, double[][] a, long maxValues, List<Violation> violations) {
        if (a.length == 0) {
            violations.add(new Violation(field, "needs at least one row"));
            return;
        }
        if (a[0] == null || a[0].length == 0) {
            violations.add(new Violation(field + "[0]", "must be a non-empty row of numbers"));
            return;
        }
        int width = a[0].length;
        long values = (long) a.length * width;
        if (values > maxValues) {
            violations.add(new Violation(field, "holds " + values + " values; at most " + maxValues + " are allowed",
                    Limits.INPUT_VALUES));
            return;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || a[i].length != width) {
                violations.add(new Violation(field + "[" + i + "]", "has " + (a[i] == null ? "no" : a[i].length)
                        + " values but row 0 has " + width + " (rows must have equal lengths)"));
                return;
            }
            for (int j = 0; j < width; j++) {
                if (!Double.isFinite(a[i][j])) {
                    violations.add(new Violation(field + "[" + i + "][" + j + "]", "must be finite, got " + a[i][j]));
                    return;
                }
            }
        }
    }

    /** Whether every entry of a validated matrix is 0 (either sign). */
    static boolean allZero(double[][] a) {
        for (double[] row : a) {
            for (double v : row) {
                if (v != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
