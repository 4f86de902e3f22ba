package org.ntklab.core.nn;

/**
 * The error function for the GELU and ERF activations, with the same coefficients on the scalar
 * and the vector path (ND4J's Erf op, used before, cost an op dispatch and an array per call and
 * was not accurate in the tail). For u &gt;= 0:
 * <pre>
 *   u &lt; 0.5:   erf(u) = u P(u^2)
 *   u &gt;= 0.5:  erfc(u) = e^(-u^2) erfcx(u),  erf(u) = 1 - erfc(u)
 * </pre>
 * erfcx(u) = e^(u^2) erfc(u) is smooth and well conditioned (u erfcx'(u) / erfcx(u) is between -1
 * and 0), so an argument rounded by half an ulp (u = x / sqrt 2 for GELU) costs at most half an ulp
 * there; the factor e^(-u^2), whose relative condition number 2u^2 reaches 1500 in the tail, is
 * computed by the caller from the exact square x^2 = hi + lo (a fused multiply-add gives lo) as
 * e^(-hi) (1 - lo). Each piece is a polynomial in a variable t in [-1, 1], interpolated at 40 digits
 * at the Chebyshev nodes (mpmath; script in src/test/resources/org/ntklab/core/nn/activations.py),
 * with a maximum relative error below 3e-18 against erf / erfcx; evaluated by Horner's rule.
 */
final class Erf {

    /** Below it erf comes from the odd polynomial; above it from erfc. */
    static final double SMALL_LIMIT = 0.5;
    /** erfcx breakpoints: NEAR below 1.5, MID below 2.75, FAR below 5, TAIL (in 1 / u^2) above. */
    static final double NEAR_LIMIT = 1.5;
    static final double MID_LIMIT = 2.75;
    static final double FAR_LIMIT = 5.0;

    /** erf(u) / u as a polynomial in t = (u^2 - 0.125) / 0.125, u^2 in [0, 0.25] (|u| < 0.5); degree 9, max relative error of the fit 2.29e-20. */
    static final double[] SMALL = {
        1.0830752376761712, -0.04364205888669792, 0.0016130716680617073, -4.76233693446849e-05,
        1.1516037795233198e-06, -2.3472291635294847e-08, 4.127025151938976e-10, -6.374417573691971e-12,
        8.777607481006789e-14, -1.0893429375776461e-15
    };
    static final double SMALL_CENTER = 0.125;
    static final double SMALL_INV_HALF_WIDTH = 1.0 / 0.125;
    /** erfcx(u) = e^(u^2) erfc(u) in t = (u - 1) / 0.5, u in [0.5, 1.5]; degree 17, max relative error of the fit 8.66e-19. */
    static final double[] NEAR = {
        0.427583576155807, -0.13660600739194928, 0.03859289034297706, -0.009903371117665836, 0.002348268513457043,
        -0.0005206834090756343, 0.00010890847459472877, -2.1633318559382548e-05, 4.102614914773928e-06,
        -7.460049472944939e-07, 1.3053004128102987e-07, -2.204290098630261e-08, 3.6021995098915975e-09,
        -5.707871626603288e-10, 8.752691998398392e-11, -1.3119944895310412e-11, 2.1033681858846656e-12,
        -2.986615905543666e-13
    };
    static final double NEAR_CENTER = 1.0;
    static final double NEAR_INV_HALF_WIDTH = 1.0 / 0.5;
    /** erfcx(u) in t = (u - 2.125) / 0.625, u in [1.5, 2.75]; degree 17, max relative error of the fit 3.84e-19. */
    static final double[] MID = {
        0.24267036461265454, -0.06064382343233172, 0.014250533180752603, -0.003175002765045003, 0.0006749069882034138,
        -0.00013754984455546565, 2.698405165179022e-05, -5.112061263586199e-06, 9.377972221946443e-07,
        -1.6697489635560033e-07, 2.8912644745402018e-08, -4.877244372732508e-09, 8.028310677099222e-10,
        -1.2909668176941478e-10, 2.0212236901389576e-11, -3.114392667163135e-12, 5.204912799911672e-13,
        -7.683476072754532e-14
    };
    static final double MID_CENTER = 2.125;
    static final double MID_INV_HALF_WIDTH = 1.0 / 0.625;
    /** erfcx(u) in t = (u - 3.875) / 1.125, u in [2.75, 5]; degree 19, max relative error of the fit 3.38e-19. */
    static final double[] FAR = {
        0.1411674197630518, -0.038623121923343835, 0.01029234350303541, -0.0026761358171247286, 0.0006799838341252417,
        -0.00016907194666293104, 4.118550753082381e-05, -9.8396030349e-06, 2.3077220972910744e-06,
        -5.317825432003107e-07, 1.2049434385786027e-07, -2.68650454347224e-08, 5.897429734277796e-09,
        -1.275506165451892e-09, 2.7222984792277474e-10, -5.72362730903894e-11, 1.1624907292389764e-11,
        -2.3832722304172093e-12, 5.997469694129357e-13, -1.1928738704586072e-13
    };
    static final double FAR_CENTER = 3.875;
    static final double FAR_INV_HALF_WIDTH = 1.0 / 1.125;
    /** u erfcx(u) in t = (w - 0.02) / 0.02 with w = 1 / u^2 in (0, 0.04] (u >= 5); degree 12, max relative error of the fit 1.27e-18. */
    static final double[] TAIL = {
        0.5587090260270524, -0.005326636978332009, 0.00014696417445233487, -6.53068005164712e-06,
        3.9324669382826293e-07, -2.9510279633822966e-08, 2.6269828279968973e-09, -2.6856274606287666e-10,
        3.081758682449147e-11, -3.89297065165975e-12, 5.366458780424464e-13, -8.757026672247513e-14,
        1.4082201657701653e-14
    };
    static final double TAIL_CENTER = 0.02;
    static final double TAIL_INV_HALF_WIDTH = 1.0 / 0.02;

    private Erf() {
    }

    /** erf(u) for |u| &lt; {@link #SMALL_LIMIT}. */
    static double small(double u) {
        return u * horner(SMALL, (u * u - SMALL_CENTER) * SMALL_INV_HALF_WIDTH);
    }

    /** erfcx(a) = e^(a^2) erfc(a) for a &gt;= {@link #SMALL_LIMIT} (a = +inf gives 0). */
    static double erfcx(double a) {
        if (a < NEAR_LIMIT) {
            return horner(NEAR, (a - NEAR_CENTER) * NEAR_INV_HALF_WIDTH);
        }
        if (a < MID_LIMIT) {
            return horner(MID, (a - MID_CENTER) * MID_INV_HALF_WIDTH);
        }
        if (a < FAR_LIMIT) {
            return horner(FAR, (a - FAR_CENTER) * FAR_INV_HALF_WIDTH);
        }
        double w = 1.0 / (a * a);
        return horner(TAIL, (w - TAIL_CENTER) * TAIL_INV_HALF_WIDTH) / a;
    }

    /** e^(-s x^2) for s = 1 or 1/2, from the exact square (see the class comment); 0 for infinite x. */
    static double gaussian(double x, double s) {
        double hi = x * x;
        double lo = Double.isInfinite(hi) ? 0.0 : Math.fma(x, x, -hi);
        return Math.exp(-s * hi) * (1.0 - s * lo);
    }

    static double horner(double[] c, double t) {
        double p = c[c.length - 1];
        for (int j = c.length - 2; j >= 0; j--) {
            p = Math.fma(p, t, c[j]);
        }
        return p;
    }
}
