package org.ntklab.core.array;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Exp}'s exp, expm1 and log1p lane-wise: the same operations in the same order, so the
 * results are bit-identical to the scalar ones. Uses the Vector API: loaded only when it is present.
 */
public final class VectorExp {

    /*
     * The coefficients as constants and the polynomials unrolled: a loop over an array of
     * coefficients compiles, once the method is not inlined into its caller (a caller compiled
     * after the start-up warm-up can find it "already compiled into a big method"), to one boxed
     * DoubleVector per coefficient; straight-line code with constants keeps every lane in registers.
     * For the same reason exp, expm1 and log1p are loops over arrays: e^x as a function of a
     * vector, compiled on its own first, boxed its argument and result in gelu's loop.
     */
    private static final double E0 = Exp.EXP[0];
    private static final double E1 = Exp.EXP[1];
    private static final double E2 = Exp.EXP[2];
    private static final double E3 = Exp.EXP[3];
    private static final double E4 = Exp.EXP[4];
    private static final double E5 = Exp.EXP[5];
    private static final double E6 = Exp.EXP[6];
    private static final double E7 = Exp.EXP[7];
    private static final double E8 = Exp.EXP[8];
    private static final double E9 = Exp.EXP[9];
    private static final double E10 = Exp.EXP[10];
    private static final double E11 = Exp.EXP[11];
    private static final double E12 = Exp.EXP[12];
    private static final double E13 = Exp.EXP[13];
    private static final double M0 = Exp.EXPM1[0];
    private static final double M1 = Exp.EXPM1[1];
    private static final double M2 = Exp.EXPM1[2];
    private static final double M3 = Exp.EXPM1[3];
    private static final double M4 = Exp.EXPM1[4];
    private static final double M5 = Exp.EXPM1[5];
    private static final double M6 = Exp.EXPM1[6];
    private static final double M7 = Exp.EXPM1[7];
    private static final double M8 = Exp.EXPM1[8];
    private static final double M9 = Exp.EXPM1[9];
    private static final double M10 = Exp.EXPM1[10];
    private static final double M11 = Exp.EXPM1[11];
    private static final double M12 = Exp.EXPM1[12];
    private static final double M13 = Exp.EXPM1[13];
    private static final double M14 = Exp.EXPM1[14];
    private static final double M15 = Exp.EXPM1[15];
    private static final double A0 = Exp.ATANH[0];
    private static final double A1 = Exp.ATANH[1];
    private static final double A2 = Exp.ATANH[2];
    private static final double A3 = Exp.ATANH[3];
    private static final double A4 = Exp.ATANH[4];
    private static final double A5 = Exp.ATANH[5];
    private static final double A6 = Exp.ATANH[6];
    private static final double A7 = Exp.ATANH[7];
    private static final double A8 = Exp.ATANH[8];
    private static final double A9 = Exp.ATANH[9];
    private static final double A10 = Exp.ATANH[10];
    private static final double A11 = Exp.ATANH[11];
    private static final double A12 = Exp.ATANH[12];
    private static final double A13 = Exp.ATANH[13];
    private static final double A14 = Exp.ATANH[14];
    private static final double A15 = Exp.ATANH[15];

    static {
        if (Exp.EXP.length != 14 || Exp.EXPM1.length != 16 || Exp.ATANH.length != 16) {
            throw new ExceptionInInitializerError("VectorExp's unrolled polynomials have 14, 16 and 16 terms; "
                    + "Exp's have " + Exp.EXP.length + ", " + Exp.EXPM1.length + " and " + Exp.ATANH.length);
        }
    }

    private VectorExp() {
    }

    /**
     * out[i] := e^(y[i]) for i &lt; bound (a multiple of the vector length; out may be y), as
     * {@link Exp#exp}. A loop over arrays rather than a function of a vector: no vector crosses
     * a call, so none is boxed whichever way the JIT inlines its callers.
     */
    public static void exp(double[] y, double[] out, int bound) {
        VectorSpecies<Double> species = DoubleVector.SPECIES_PREFERRED;
        for (int i = 0; i < bound; i += species.length()) {
            DoubleVector x = DoubleVector.fromArray(species, y, i).max(Exp.LOWEST).min(Exp.HIGHEST);
            DoubleVector t = x.fma(Exp.INV_LN2, Exp.SHIFTER);
            DoubleVector k = t.sub(Exp.SHIFTER);
            DoubleVector r = k.neg().fma(DoubleVector.broadcast(species, Exp.LN2_HI), x);
            r = k.neg().fma(DoubleVector.broadcast(species, Exp.LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(species, E13); // Horner, the order of Exp.horner
            p = p.fma(r, DoubleVector.broadcast(species, E12));
            p = p.fma(r, DoubleVector.broadcast(species, E11));
            p = p.fma(r, DoubleVector.broadcast(species, E10));
            p = p.fma(r, DoubleVector.broadcast(species, E9));
            p = p.fma(r, DoubleVector.broadcast(species, E8));
            p = p.fma(r, DoubleVector.broadcast(species, E7));
            p = p.fma(r, DoubleVector.broadcast(species, E6));
            p = p.fma(r, DoubleVector.broadcast(species, E5));
            p = p.fma(r, DoubleVector.broadcast(species, E4));
            p = p.fma(r, DoubleVector.broadcast(species, E3));
            p = p.fma(r, DoubleVector.broadcast(species, E2));
            p = p.fma(r, DoubleVector.broadcast(species, E1));
            p = p.fma(r, DoubleVector.broadcast(species, E0));
            LongVector n = ((LongVector) t.viewAsIntegralLanes()).sub(Exp.SHIFTER_BITS);
            LongVector half = n.lanewise(VectorOperators.ASHR, 1);
            DoubleVector s1 = (DoubleVector) half.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector s2 = (DoubleVector) n.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52)
                    .viewAsFloatingLanes();
            p.mul(s1).mul(s2).intoArray(out, i);
        }
    }

    /**
     * out[i] := e^(y[i]) - 1 for i &lt; bound (a multiple of the vector length; out may be y), as
     * {@link Exp#expm1}; e[i] must hold e^(y[i]) (computed by the caller). A loop over arrays, as
     * {@link #exp(double[], double[], int)}.
     */
    public static void expm1(double[] y, double[] e, double[] out, int bound) {
        VectorSpecies<Double> species = DoubleVector.SPECIES_PREFERRED;
        for (int i = 0; i < bound; i += species.length()) {
            DoubleVector t = DoubleVector.fromArray(species, y, i);
            DoubleVector p = DoubleVector.broadcast(species, M15); // Horner, the order of Exp.horner
            p = p.fma(t, DoubleVector.broadcast(species, M14));
            p = p.fma(t, DoubleVector.broadcast(species, M13));
            p = p.fma(t, DoubleVector.broadcast(species, M12));
            p = p.fma(t, DoubleVector.broadcast(species, M11));
            p = p.fma(t, DoubleVector.broadcast(species, M10));
            p = p.fma(t, DoubleVector.broadcast(species, M9));
            p = p.fma(t, DoubleVector.broadcast(species, M8));
            p = p.fma(t, DoubleVector.broadcast(species, M7));
            p = p.fma(t, DoubleVector.broadcast(species, M6));
            p = p.fma(t, DoubleVector.broadcast(species, M5));
            p = p.fma(t, DoubleVector.broadcast(species, M4));
            p = p.fma(t, DoubleVector.broadcast(species, M3));
            p = p.fma(t, DoubleVector.broadcast(species, M2));
            p = p.fma(t, DoubleVector.broadcast(species, M1));
            p = p.fma(t, DoubleVector.broadcast(species, M0));
            DoubleVector small = t.mul(t).fma(p, t);
            DoubleVector.fromArray(species, e, i).sub(1.0).blend(small, t.abs().compare(VectorOperators.LT, Exp.LN2))
                    .intoArray(out, i);
        }
    }

    /**
     * out[i] := log(1 + z[i]) for z[i] in [0, 1] and i &lt; bound (a multiple of the vector length;
     * out may be z), as {@link Exp#log1p}. A loop over arrays, as {@link #exp(double[], double[], int)}.
     */
    public static void log1p(double[] z, double[] out, int bound) {
        VectorSpecies<Double> species = DoubleVector.SPECIES_PREFERRED;
        for (int i = 0; i < bound; i += species.length()) {
            DoubleVector x = DoubleVector.fromArray(species, z, i);
            DoubleVector w = x.div(x.add(2.0));
            DoubleVector t = w.mul(w);
            DoubleVector twoW = w.mul(2.0);
            DoubleVector p = DoubleVector.broadcast(species, A15); // Horner, the order of Exp.horner
            p = p.fma(t, DoubleVector.broadcast(species, A14));
            p = p.fma(t, DoubleVector.broadcast(species, A13));
            p = p.fma(t, DoubleVector.broadcast(species, A12));
            p = p.fma(t, DoubleVector.broadcast(species, A11));
            p = p.fma(t, DoubleVector.broadcast(species, A10));
            p = p.fma(t, DoubleVector.broadcast(species, A9));
            p = p.fma(t, DoubleVector.broadcast(species, A8));
            p = p.fma(t, DoubleVector.broadcast(species, A7));
            p = p.fma(t, DoubleVector.broadcast(species, A6));
            p = p.fma(t, DoubleVector.broadcast(species, A5));
            p = p.fma(t, DoubleVector.broadcast(species, A4));
            p = p.fma(t, DoubleVector.broadcast(species, A3));
            p = p.fma(t, DoubleVector.broadcast(species, A2));
            p = p.fma(t, DoubleVector.broadcast(species, A1));
            p = p.fma(t, DoubleVector.broadcast(species, A0));
            twoW.mul(t).fma(p, twoW).intoArray(out, i);
        }
    }
}
