package org.ntklab.jobs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntklab.core.experiment.BlockNorm;
import org.ntklab.core.experiment.ExperimentResult;
import org.ntklab.core.experiment.HessianProbeResult;
import org.ntklab.core.experiment.HessianSummary;
import org.ntklab.core.experiment.TrajectoryPoint;
import org.ntklab.core.spectral.SpectralDensity;

/**
 * Per-probe Hessian results as CSV (SCIENCE.md, "Hessian of the model", "Hessian structure"), one
 * row per measured number, at every step where the Hessian was measured (0, the last step, or
 * every record). Numbers in Java's shortest round-trip form.
 * <ul>
 * <li>{@code hessian.csv}: {@code step,index,output,quantity,layer,otherLayer,value,standardError,samples,iterations,converged}
 *     with quantity {@code norm} (||H_k(w; x_i)||), {@code block} (||H^(l,l')||, layers l and l'),
 *     {@code trace} (Hutchinson's estimate with its standard error and samples)</li>
 * <li>{@code density.csv}: {@code step,index,output,run,node,weight,sigma}: the SLQ quadrature nodes
 *     theta_rj and weights tau_rj, from which phi(t) = (1/R) sum tau N(t; theta, sigma^2) is recomputed</li>
 * </ul>
 */
public final class HessianCsv {

    private HessianCsv() {
    }

    /** The Hessian summaries by step: init at 0, every record's, the end at the last step. */
    static Map<Integer, HessianSummary> byStep(ExperimentResult r) {
        Map<Integer, HessianSummary> out = new LinkedHashMap<>();
        if (r.hessianInit() != null) {
            out.put(0, r.hessianInit());
        }
        for (TrajectoryPoint p : r.trajectory()) {
            if (p.hessian() != null) {
                out.putIfAbsent(p.step(), p.hessian());
            }
        }
        if (r.hessianEnd() != null) {
            out.putIfAbsent(r.steps(), r.hessianEnd());
        }
        return out;
    }

    /** Whether any probe carries blocks or a trace. */
    public static boolean hasStructure(ExperimentResult r) {
        return byStep(r).values().stream().flatMap(s -> s.probes().stream())
                .anyMatch(p -> p.blocks() != null || p.trace() != null);
    }

    /** Whether any probe carries a spectral density. */
    public static boolean hasDensity(ExperimentResult r) {
        return byStep(r).values().stream().flatMap(s -> s.probes().stream()).anyMatch(p -> p.density() != null);
    }

    public static byte[] hessian(ExperimentResult r) {
        StringBuilder out = new StringBuilder(
                "step,index,output,quantity,layer,otherLayer,value,standardError,samples,iterations,converged\n");
        for (Map.Entry<Integer, HessianSummary> e : byStep(r).entrySet()) {
            for (HessianProbeResult p : e.getValue().probes()) {
                String prefix = e.getKey() + "," + p.index() + "," + p.output() + ",";
                out.append(prefix).append("norm,,,").append(p.norm()).append(",,,").append(p.iterations()).append(',')
                        .append(p.converged()).append('\n');
                if (p.blocks() != null) {
                    for (BlockNorm b : p.blocks()) {
                        out.append(prefix).append("block,").append(b.layers().get(0)).append(',')
                                .append(b.layers().get(1)).append(',').append(b.norm()).append(",,,")
                                .append(b.iterations()).append(',').append(b.converged()).append('\n');
                    }
                }
                if (p.trace() != null) {
                    out.append(prefix).append("trace,,,").append(p.trace().estimate()).append(',')
                            .append(p.trace().standardError()).append(',').append(p.trace().samples()).append(",,\n");
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] density(ExperimentResult r) {
        StringBuilder out = new StringBuilder("step,index,output,run,node,weight,sigma\n");
        for (Map.Entry<Integer, HessianSummary> e : byStep(r).entrySet()) {
            for (HessianProbeResult p : e.getValue().probes()) {
                SpectralDensity d = p.density();
                if (d == null) {
                    continue;
                }
                List<double[]> nodes = d.nodes();
                for (int run = 0; run < nodes.size(); run++) {
                    double[] theta = nodes.get(run);
                    double[] tau = d.weights().get(run);
                    for (int j = 0; j < theta.length; j++) {
                        out.append(e.getKey()).append(',').append(p.index()).append(',').append(p.output()).append(',')
                                .append(run).append(',').append(theta[j]).append(',').append(tau[j]).append(',')
                                .append(d.sigma()).append('\n');
                    }
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
