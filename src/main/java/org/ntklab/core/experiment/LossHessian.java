package org.ntklab.core.experiment;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ntklab.core.model.Model;
import org.ntklab.core.spectral.Lanczos;
import org.ntklab.core.spectral.LanczosOptions;
import org.ntklab.core.spectral.LinearOperator;
import org.ntklab.core.train.Loss;

/**
 * The Hessian of the training loss L over the data (X, Y) as an exact operator, from the model's
 * JVP, VJP and output Hessian (SCIENCE.md, "Hessian of the training loss"). Writing L = (1/n) sum_i
 * l(f(w; x_i), y_i), with F = f(w; X) (n, c) and J its Jacobian:
 * <pre>
 *   d^2 L / dw^2 v = J^T (D (J v)) + H_U v,     H_U = d^2 &lt;U, F&gt; / dw^2
 *   squared error  l = ||f - y||^2 / 2:  D = 1/n,              U = (F - Y) / n
 *   cross-entropy  l = -sum_k y_k log f_k: D = diag(Y / F^2)/n,  U = -Y / (n F)
 * </pre>
 * (D acts element-wise on the (n, c) tangent). The Gauss-Newton part is J^T D J. Each
 * application costs one JVP, one VJP and one HVP over the n inputs. The model must not change
 * while the operator is used.
 */
public final class LossHessian implements LinearOperator {

    private final Model model;
    private final INDArray x;
    private final INDArray curvature;
    private final LinearOperator residualPart;
    private final boolean gaussNewtonOnly;

    private LossHessian(Model model, INDArray x, INDArray curvature, LinearOperator residualPart,
            boolean gaussNewtonOnly) {
        this.model = model;
        this.x = x;
        this.curvature = curvature;
        this.residualPart = residualPart;
        this.gaussNewtonOnly = gaussNewtonOnly;
    }

    /**
     * d^2 L / dw^2 at the model's current w.
     *
     * @param x inputs (n, d), y targets (n, c); neither modified
     */
    public static LossHessian of(Model model, INDArray x, INDArray y, Loss loss) {
        return build(model, x, y, loss, false);
    }

    /** The Gauss-Newton part J^T D J alone. */
    public static LossHessian gaussNewton(Model model, INDArray x, INDArray y, Loss loss) {
        return build(model, x, y, loss, true);
    }

    private static LossHessian build(Model model, INDArray x, INDArray y, Loss loss, boolean gaussNewtonOnly) {
        DataType dtype = model.dataType();
        INDArray f;
        try (Model.Evaluation e = model.evaluate(x)) {
            f = e.output().dup();
        }
        INDArray target = y.castTo(dtype);
        double n = f.rows();
        INDArray curvature;
        INDArray cotangent;
        if (loss == Loss.SQUARED_ERROR) {
            curvature = null;
            cotangent = f.sub(target).divi(n);
        } else {
            curvature = target.div(f.mul(f)).divi(n);
            cotangent = target.div(f).divi(-n);
        }
        return new LossHessian(model, x, curvature, gaussNewtonOnly ? null : model.hessian(x, cotangent),
                gaussNewtonOnly);
    }

    /**
     * lambda_max, lambda_min of d^2 L / dw^2 by Lanczos, with the Gauss-Newton part's top
     * eigenvalue: {@code kernelLambdaMax} / n for the squared error (lambda_max(J^T J / n) =
     * lambda_max(K) / n), by a second Lanczos run for cross-entropy.
     */
    public static LossHessianEstimate estimate(Model model, INDArray x, INDArray y, Loss loss, LanczosOptions lanczos,
            double kernelLambdaMax) {
        LossHessian h = of(model, x, y, loss);
        double gaussNewton = loss == Loss.SQUARED_ERROR ? kernelLambdaMax / x.rows()
                : Lanczos.estimate(gaussNewton(model, x, y, loss), lanczos).lambdaMax();
        return LossHessianEstimate.of(Lanczos.estimate(h, lanczos), gaussNewton);
    }

    @Override
    public long dimension() {
        return model.parameterCount();
    }

    @Override
    public DataType dataType() {
        return model.dataType();
    }

    /** y := d^2 L / dw^2 v (or the Gauss-Newton part); v is read only. */
    @Override
    public void apply(INDArray v, INDArray out) {
        INDArray jv = model.jvp(x, v);
        if (curvature == null) {
            jv.divi(jv.rows());
        } else {
            jv.muli(curvature);
        }
        out.assign(model.vjp(x, jv));
        if (!gaussNewtonOnly) {
            INDArray second = out.ulike();
            residualPart.apply(v, second);
            out.addi(second);
        }
    }
}
