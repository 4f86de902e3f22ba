package org.ntklab.core.array;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Exp}'s exp, expm1 and log1p lane-wise: the same operations in the same order, so the
 * results are bit-identical to the scalar ones. Uses the Vector API: loaded only when it is present.
 */
public final class VectorExp {

    private VectorExp() {
    }

    /** e^x lane-wise, as {@link Exp#exp}. */
    public static DoubleVector exp(DoubleVector x) {
        x = x.max(Exp.LOWEST).min(Exp.HIGHEST);
        DoubleVector t = x.fma(Exp.INV_LN2, Exp.SHIFTER);
        DoubleVector k = t.sub(Exp.SHIFTER);
        DoubleVector r = k.neg().fma(DoubleVector.broadcast(x.species(), Exp.LN2_HI), x);
        r = k.neg().fma(DoubleVector.broadcast(x.species(), Exp.LN2_LO), r);
        DoubleVector p = horner(Exp.EXP, r);
        LongVector n = ((LongVector) t.viewAsIntegralLanes()).sub(Exp.SHIFTER_BITS);
        LongVector half = n.lanewise(VectorOperators.ASHR, 1);
        DoubleVector s1 = (DoubleVector) half.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
        DoubleVector s2 = (DoubleVector) n.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52)
                .viewAsFloatingLanes();
        return p.mul(s1).mul(s2);
    }

    /** e^y - 1 lane-wise, as {@link Exp#expm1}; {@code e} must hold exp(y) (computed by the caller). */
    public static DoubleVector expm1(DoubleVector y, DoubleVector e) {
        DoubleVector small = y.mul(y).fma(horner(Exp.EXPM1, y), y);
        return e.sub(1.0).blend(small, y.abs().compare(VectorOperators.LT, Exp.LN2));
    }

    /** log(1 + z) lane-wise for z in [0, 1], as {@link Exp#log1p}. */
    public static DoubleVector log1p(DoubleVector z) {
        DoubleVector w = z.div(z.add(2.0));
        DoubleVector w2 = w.mul(w);
        DoubleVector twoW = w.mul(2.0);
        return twoW.mul(w2).fma(horner(Exp.ATANH, w2), twoW);
    }

    static DoubleVector horner(double[] c, DoubleVector t) {
        DoubleVector p = DoubleVector.broadcast(t.species(), c[c.length - 1]);
        for (int j = c.length - 2; j >= 0; j--) {
            p = p.fma(t, DoubleVector.broadcast(t.species(), c[j]));
        }
        return p;
    }
}
