package org.ntklab.core.experiment;

/**
 * The distance to the infinite-width kernel (SCIENCE.md, "Infinite-width tangent kernel"): either
 * the numbers, or only the reason they are undefined (then every other field is null).
 *
 * @param distanceInit     dK_inf(0) = ||K(w_0) - Theta_inf (x) I_c||_F / ||Theta_inf (x) I_c||_F
 * @param distanceEnd      dK_inf at the last step (the last recorded kernel)
 * @param lambdaMin        the smallest eigenvalue of Theta_inf (that of Theta_inf (x) I_c too)
 * @param lambdaMax        the largest eigenvalue of Theta_inf
 * @param expectations     how the Gaussian expectations were computed: "closed-form" or "quadrature"
 * @param quadratureChange for quadrature, the largest difference between the last two refinement
 *                         levels over every expectation, relative to its Cauchy-Schwarz scale
 *                         sqrt(E f(u)^2 E f(v)^2) (the accuracy target is 1e-10); null for closed forms
 * @param reason           why Theta_inf is undefined here, or null
 */
public record InfiniteWidthSummary(Double distanceInit, Double distanceEnd, Double lambdaMin, Double lambdaMax,
        String expectations, Double quadratureChange, String reason) {

    /** Closed-form expectations. */
    public static final String CLOSED_FORM = "closed-form";
    /** Adaptive quadrature. */
    public static final String QUADRATURE = "quadrature";

    /** Only the reason. */
    public static InfiniteWidthSummary undefined(String reason) {
        return new InfiniteWidthSummary(null, null, null, null, null, null, reason);
    }
}
