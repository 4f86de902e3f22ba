package org.ntklab.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.ntklab.core.nn.Architecture;
import org.ntklab.core.spectral.LanczosOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns JMH JSON results into markdown: per operation the time, the flops it must do
 * ({@link Flops}), the achieved rate and that rate as a fraction of the same run's measured GEMM
 * rate in the same dtype; the targets; and, given two runs, the thread effect.
 * <p>Usage: {@code Report label=results.json [label=results.json ...]} (e.g. omp2=..., omp1=...).
 */
public final class Report {

    /** ms: the mean over measured iterations; best: the fastest iteration (least disturbed on a shared machine). */
    record Row(String op, String workload, String dtype, double ms, double err, double best) {
        String key() {
            return op + "|" + workload + "|" + dtype;
        }
    }

    private Report() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Map<String, Row>> runs = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            File file = new File(kv[1]);
            if (!file.exists()) {
                System.out.println("(no results for " + kv[0] + ": " + file + " missing)\n");
                continue;
            }
            runs.put(kv[0], read(file));
        }
        for (Map.Entry<String, Map<String, Row>> run : runs.entrySet()) {
            table(run.getKey(), run.getValue());
        }
        if (!runs.isEmpty()) {
            targets(runs.values().iterator().next());
        }
        if (runs.size() >= 2) {
            threads(runs);
        }
    }

    static Map<String, Row> read(File file) throws Exception {
        JsonNode root = new ObjectMapper().readTree(file);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (JsonNode b : root) {
            String name = b.get("benchmark").asString();
            String op = name.substring(name.lastIndexOf('.') + 1);
            JsonNode params = b.path("params");
            String workload = params.has("workload") ? params.get("workload").asString()
                    : "size=" + params.path("size").asString();
            String dtype = params.path("dtype").asString();
            JsonNode metric = b.get("primaryMetric");
            double ms = toMillis(metric.get("score").asDouble(), metric.get("scoreUnit").asString());
            double err = metric.get("scoreError").isNumber()
                    ? toMillis(metric.get("scoreError").asDouble(), metric.get("scoreUnit").asString()) : Double.NaN;
            double best = Double.POSITIVE_INFINITY;
            for (JsonNode fork : metric.path("rawData")) {
                for (JsonNode iteration : fork) {
                    best = Math.min(best, toMillis(iteration.asDouble(), metric.get("scoreUnit").asString()));
                }
            }
            Row row = new Row(op, workload, dtype, ms, err, Double.isInfinite(best) ? ms : best);
            rows.put(row.key(), row);
        }
        return rows;
    }

    private static double toMillis(double value, String unit) {
        return switch (unit) {
            case "s/op" -> value * 1e3;
            case "ms/op" -> value;
            case "us/op" -> value / 1e3;
            case "ns/op" -> value / 1e6;
            default -> throw new IllegalArgumentException("unexpected unit " + unit);
        };
    }

    /** Flops of one operation, or NaN for the per-element ones. */
    static double flops(Row r) {
        if (r.op().equals("gemm")) {
            return Flops.gemm(Integer.parseInt(r.workload().substring("size=".length())));
        }
        Architecture a = Workload.valueOf(r.workload()).architecture();
        return switch (r.op()) {
            case "kernel" -> Flops.kernel(a, Workload.N);
            case "gdStep" -> Flops.gradientStep(a, Workload.N);
            case "hvp" -> Flops.hvp(a);
            case "forwardBackward" -> Flops.forwardBackwardOne(a);
            case "lanczos30" -> Flops.lanczos(a, LanczosOptions.defaults(1).withMaxIterations(LanczosBenchmark.STEPS)
                    .withTolerance(LanczosBenchmark.UNREACHABLE_TOLERANCE), Workload.dtype(r.dtype()));
            default -> Double.NaN;
        };
    }

    /** The GEMM rate of the run in this dtype, from its mean or its best iteration. */
    static double gemmRate(Map<String, Row> rows, String dtype, boolean best) {
        for (Row r : rows.values()) {
            if (r.op().equals("gemm") && r.dtype().equals(dtype)) {
                return flops(r) / ((best ? r.best() : r.ms()) * 1e-3);
            }
        }
        return Double.NaN;
    }

    static double gemmRate(Map<String, Row> rows, String dtype) {
        return gemmRate(rows, dtype, false);
    }

    /** Percent of the GEMM rate, mean against mean. */
    static double percent(Map<String, Row> rows, Row r) {
        return 100 * flops(r) / (r.ms() * 1e-3) / gemmRate(rows, r.dtype(), false);
    }

    /** Percent of the GEMM rate, best iteration against best iteration. */
    static double percentBest(Map<String, Row> rows, Row r) {
        return 100 * flops(r) / (r.best() * 1e-3) / gemmRate(rows, r.dtype(), true);
    }

    static void table(String label, Map<String, Row> rows) {
        System.out.println("### Results: " + label + "\n");
        System.out.println("| operation | workload | dtype | mean (ms/op) | ± (99.9%) | best (ms) | GFLOP/op | GFLOP/s (mean) | % of GEMM (mean) | % of GEMM (best/best) | ns/element (mean) |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Row> sorted = new ArrayList<>(rows.values());
        sorted.sort((x, y) -> (x.op() + x.dtype() + order(x.workload())).compareTo(y.op() + y.dtype() + order(y.workload())));
        for (Row r : sorted) {
            double f = flops(r);
            double rate = f / (r.ms() * 1e-3);
            String perElement = "";
            if (r.op().startsWith("tanh")) {
                perElement = fmt(nsPerElement(r, r.ms()));
            }
            System.out.println("| " + r.op() + " | " + r.workload() + " | " + r.dtype() + " | " + fmt(r.ms()) + " | "
                    + fmt(r.err()) + " | " + fmt(r.best()) + " | " + (Double.isNaN(f) ? "" : fmt(f / 1e9)) + " | "
                    + (Double.isNaN(f) ? "" : fmt(rate / 1e9)) + " | "
                    + (Double.isNaN(f) ? "" : fmt(percent(rows, r)) + "%") + " | "
                    + (Double.isNaN(f) ? "" : fmt(percentBest(rows, r)) + "%") + " | " + perElement + " |");
        }
        System.out.println();
    }

    /** An element-wise row's time per element (n m elements: the workload's first hidden layer). */
    static double nsPerElement(Row r, double ms) {
        long elements = (long) Workload.N * Workload.valueOf(r.workload()).architecture().width(1);
        return ms * 1e6 / elements;
    }

    private static String order(String workload) {
        return workload.startsWith("size") ? workload : String.valueOf(Workload.valueOf(workload).ordinal());
    }

    static void targets(Map<String, Row> rows) {
        System.out.println("### Targets (first run)\n");
        System.out.println("| target | workload | dtype | measured (mean) | measured (best/best) | met? |");
        System.out.println("|---|---|---|---:|---:|---|");
        for (Row r : rows.values()) {
            boolean wide = r.workload().startsWith("SHALLOW") && !r.workload().equals("SHALLOW_1E3");
            if (r.op().equals("kernel") && wide) {
                double pct = percent(rows, r);
                double best = percentBest(rows, r);
                System.out.println("| kernel >= 50% of GEMM | " + r.workload() + " | " + r.dtype() + " | " + fmt(pct)
                        + "% | " + fmt(best) + "% | " + verdict(pct >= 50, best >= 50) + " |");
            }
            if (r.op().equals("gdStep") && wide) {
                double pct = percent(rows, r);
                double best = percentBest(rows, r);
                System.out.println("| GD step >= 35% of GEMM | " + r.workload() + " | " + r.dtype() + " | " + fmt(pct)
                        + "% | " + fmt(best) + "% | " + verdict(pct >= 35, best >= 35) + " |");
                if (r.workload().equals("SHALLOW_1E4")) {
                    System.out.println("| GD step >= 15% of GEMM (issue 14) | " + r.workload() + " | " + r.dtype() + " | "
                            + fmt(pct) + "% | " + fmt(best) + "% | " + verdict(pct >= 15, best >= 15) + " |");
                }
            }
            if (r.op().startsWith("tanh") && r.workload().equals("SHALLOW_1E4")) {
                double ns = nsPerElement(r, r.ms());
                double best = nsPerElement(r, r.best());
                System.out.println("| " + r.op() + " <= 1.5 ns per element (issue 14) | " + r.workload() + " | "
                        + r.dtype() + " | " + fmt(ns) + " ns | " + fmt(best) + " ns | " + verdict(ns <= 1.5, best <= 1.5)
                        + " |");
            }
            if (r.op().equals("hvp")) {
                Row fb = rows.get("forwardBackward|" + r.workload() + "|" + r.dtype());
                if (fb != null) {
                    double ratio = r.ms() / fb.ms();
                    double best = r.best() / fb.best();
                    System.out.println("| HVP <= 4x forward+backward (n = 1) | " + r.workload() + " | " + r.dtype() + " | "
                            + fmt(ratio) + "x | " + fmt(best) + "x | " + verdict(ratio <= 4, best <= 4) + " |");
                }
            }
        }
        System.out.println();
    }

    static void threads(Map<String, Map<String, Row>> runs) {
        List<String> labels = new ArrayList<>(runs.keySet());
        System.out.println("### Thread effect\n");
        StringBuilder head = new StringBuilder("| operation | workload | dtype |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        for (String l : labels) {
            head.append(" ").append(l).append(" (ms) | ").append(l).append(" % GEMM |");
            rule.append("---:|---:|");
        }
        head.append(" speed-up ").append(labels.get(1)).append(" -> ").append(labels.get(0)).append(" |");
        rule.append("---:|");
        System.out.println(head);
        System.out.println(rule);
        Map<String, Row> base = runs.get(labels.get(1));
        for (Row r : base.values()) {
            StringBuilder line = new StringBuilder("| " + r.op() + " | " + r.workload() + " | " + r.dtype() + " |");
            Row first = runs.get(labels.get(0)).get(r.key());
            for (String l : labels) {
                Row x = runs.get(l).get(r.key());
                double f = x == null ? Double.NaN : flops(x);
                line.append(" ").append(x == null ? "" : fmt(x.ms())).append(" | ")
                        .append(x == null || Double.isNaN(f) ? "" : fmt(percent(runs.get(l), x)) + "%")
                        .append(" |");
            }
            line.append(" ").append(first == null ? "" : fmt(r.ms() / first.ms()) + "x").append(" |");
            System.out.println(line);
        }
        System.out.println();
    }

    private static String verdict(boolean mean, boolean best) {
        return mean && best ? "met" : !mean && !best ? "NOT met" : "borderline (noise)";
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", v);
    }
}
