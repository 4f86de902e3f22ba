package org.ntklab.jobs.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The paper's experiments as ready-made sweeps (Liu, Zhu &amp; Belkin 2020). Every preset trains
 * with the automatic learning rate lr = 0.5 n / lambda_max(K(w_0)), so widths and output maps are
 * stepped comparably, on n = 20 points x uniform on the unit sphere in R^10 with smooth targets
 * y_k = 0.5 + 0.5 sin(3 u_k . x) (SCIENCE.md), tanh hidden activations, NTK parameterization.
 */
public enum Preset {

    FIGURE_1_LEFT("figure-1-left", "Figure 1 (left)",
            "Shallow tanh network (one hidden layer of width m, all layers trained), linear vs swish vs softmax "
                    + "output with c = 3 (a 2-class softmax is a sigmoid of g_0 - g_1, whose phi''(0) = 0 hides the "
                    + "effect at small widths); 200 gradient-descent steps, kernel recorded every 20 steps, ||H|| at "
                    + "init and end (4 probes). dK and ||H(w0)|| against m: they fall like 1/sqrt(m) only with the "
                    + "linear output. Quick: m = 100..10^4, seeds 1-2; paper: m = 30..10^6, seeds 1-3.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = base(200, 20, "init-and-end");
            base.withObject("network").put("outputDim", 3);
            return sweep(base, WidthAxis.MAX, Map.of(
                    "network.hiddenWidths", scale == Scale.QUICK
                            ? widths(100, 316, 1000, 3162, 10000)
                            : widths(30, 100, 300, 1000, 3000, 10000, 30000, 100000, 300000, 1000000),
                    "network.outputMap", strings("linear", "swish", "softmax"),
                    "seed", scale == Scale.QUICK ? numbers(1, 2) : numbers(1, 2, 3)));
        }
    },
    FIGURE_1_RIGHT("figure-1-right", "Figure 1 (right)",
            "dK(t) over training at a fixed width, linear vs swish vs softmax output (c = 3), one hidden tanh layer; "
                    + "kernel recorded every 10 steps; plot with x=step. Quick: m = 2000, 300 steps; paper: m = 10^4, "
                    + "1000 steps.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = base(scale == Scale.QUICK ? 300 : 1000, 10, "init");
            base.withObject("network").put("outputDim", 3);
            base.withObject("network").putArray("hiddenWidths").add(scale == Scale.QUICK ? 2000 : 10000);
            return sweep(base, WidthAxis.MAX, Map.of(
                    "network.outputMap", strings("linear", "swish", "softmax"),
                    "seed", numbers(1)));
        }
    },
    FIGURE_2("figure-2", "Figure 2",
            "Three hidden tanh layers [W, m_b, W] with a bottleneck of width m_b in the middle, linear output; "
                    + "200 steps, kernel every 20 steps, ||H|| at init (2 probes). dK against m_b: the narrower "
                    + "the bottleneck, the more the kernel moves. Quick: W = 1000, m_b = 3..300; paper: W = 10^4, "
                    + "m_b = 3, 5, 10, 50, 100, 500, 1000.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = base(200, 20, "init");
            int w = scale == Scale.QUICK ? 1000 : 10000;
            int[] bottlenecks = scale == Scale.QUICK ? new int[] {3, 10, 30, 100, 300} : new int[] {3, 5, 10, 50, 100, 500, 1000};
            List<JsonNode> widths = new java.util.ArrayList<>();
            for (int b : bottlenecks) {
                widths.add(JSON.createArrayNode().add(w).add(b).add(w));
            }
            return sweep(base, WidthAxis.MIN, Map.of("network.hiddenWidths", widths, "seed", numbers(1)));
        }
    },
    TABLE_1("table-1", "Table 1",
            "Scaling exponents of ||H(w0)|| and dK in the width m for a linear output, a non-linear (swish) output, "
                    + "and a network [m, 5, m] with a fixed bottleneck of width 5; tanh, 200 steps, kernel every 20 "
                    + "steps, ||H|| at init (4 probes). Expected: about -1/2 only for the linear output without a "
                    + "bottleneck, about 0 otherwise. Quick: m = 100..3162, seeds 1-2; paper: m = 100..10^5, seeds 1-3.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = base(200, 20, "init");
            int[] ms = scale == Scale.QUICK ? new int[] {100, 316, 1000, 3162} : new int[] {100, 316, 1000, 3162, 10000, 31623, 100000};
            List<JsonNode> widths = new java.util.ArrayList<>();
            for (int m : ms) {
                widths.add(JSON.createArrayNode().add(m));
            }
            for (int m : ms) {
                widths.add(JSON.createArrayNode().add(m).add(5).add(m));
            }
            return sweep(base, WidthAxis.MAX, Map.of(
                    "network.hiddenWidths", widths,
                    "network.outputMap", strings("linear", "swish"),
                    "seed", scale == Scale.QUICK ? numbers(1, 2) : numbers(1, 2, 3)));
        }
    },
    HESSIAN_BLOCKS("hessian-blocks", "Section 3 (the proof's block structure)",
            "Which layers carry the curvature: the norm of every layer block H^(l,l') of the Hessian (and its "
                    + "Hutchinson trace, 20 samples) at init against the width m, for three hidden tanh layers with "
                    + "a linear output [m, m, m], a swish output [m, m, m], and a bottleneck [m, 5, m] (linear and "
                    + "swish); 0 training steps (the Hessian at init only), 2 probes, 30 Lanczos iterations per block. Expected: with the linear "
                    + "output every block shrinks like m^(-1/2) (the output layer's own block W4,W4 is exactly 0); "
                    + "with the swish output no block shrinks (phi''(g) grad g grad g^T is O(1) in every block); "
                    + "with the bottleneck the blocks of W1 and W2 (the layers up to the bottleneck) do not shrink, "
                    + "only W3,W3 and W3,W4 do. Diagonal blocks of hidden layers carry a max over m output weights "
                    + "(a factor growing like sqrt(log m)) that bends their slope towards -0.4. Quick: m = 64..512, "
                    + "seeds 1-2; paper: m = 100..3162, seeds 1-3.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = base(0, 1, "init");
            ObjectNode measurements = base.withObject("measurements");
            measurements.put("hessianBlocks", true).put("lanczosMaxIter", 30).put("linearizationError", false);
            measurements.putObject("hessianTrace").put("samples", 20);
            measurements.putArray("hessianProbes").add(probe(0)).add(probe(1));
            int[] ms = scale == Scale.QUICK ? new int[] {64, 128, 256, 512} : new int[] {100, 316, 1000, 3162};
            List<JsonNode> widths = new java.util.ArrayList<>();
            for (int m : ms) {
                widths.add(JSON.createArrayNode().add(m).add(m).add(m));
            }
            for (int m : ms) {
                widths.add(JSON.createArrayNode().add(m).add(5).add(m));
            }
            return sweep(base, WidthAxis.MAX, Map.of(
                    "network.hiddenWidths", widths,
                    "network.outputMap", strings("linear", "swish"),
                    "seed", scale == Scale.QUICK ? numbers(1, 2) : numbers(1, 2, 3)));
        }
    },
    CNN_WIDTH("cnn-width", "Appendix H (convolutional)",
            "A convolutional network on 3x8x8 synthetic images (n = 20, the images generator): one 3x3 conv layer "
                    + "of C channels (same padding), relu, global average pooling, a dense output; linear vs swish "
                    + "output, c = 1; 100 steps, kernel every 20 steps, ||H|| at init (4 probes, 40 Lanczos iterations). "
                    + "||H(w0)|| and dK against C: like 1/sqrt(C) only with the linear output. relu has sigma'' = 0, so "
                    + "the Hessian is the coupling of conv and output weights; with tanh the per-channel sigma'' blocks "
                    + "add a max over C Gaussian output weights (a factor growing like sqrt(log C)) that bends the fit "
                    + "to about -0.4 at these widths. Quick: C = 64, 256, 1024, seeds 1-2; paper: C = 16..16384, "
                    + "seeds 1-3.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = convBase("cnn", 100, 20);
            return sweep(base, WidthAxis.MAX, Map.of(
                    "network.channels", scale == Scale.QUICK ? widths(64, 256, 1024)
                            : widths(16, 64, 256, 1024, 4096, 16384),
                    "network.outputMap", strings("linear", "swish"),
                    "seed", scale == Scale.QUICK ? numbers(1, 2) : numbers(1, 2, 3)));
        }
    },
    RESNET_WIDTH("resnet-width", "Appendix H (residual)",
            "A residual network on 3x8x8 synthetic images (n = 20): a 3x3 conv stem of C channels and relu, one "
                    + "residual block a + alpha conv(relu(conv(a))) with alpha = 1 (= 1/sqrt(blocks)), global average "
                    + "pooling, a dense output; linear vs swish output, c = 1; 100 steps, kernel every 20 steps, ||H|| "
                    + "at init (4 probes, 40 Lanczos iterations). ||H(w0)|| and dK against C. Quick: C = 16, 32, 64, "
                    + "seeds 1-2; paper: C = 16..1024 with 2 blocks, seeds 1-3.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = convBase("resnet", 100, 20);
            base.withObject("network").put("blocks", scale == Scale.QUICK ? 1 : 2);
            return sweep(base, WidthAxis.MAX, Map.of(
                    "network.channels", scale == Scale.QUICK ? widths(16, 32, 64)
                            : widths(16, 32, 64, 128, 256, 512, 1024),
                    "network.outputMap", strings("linear", "swish"),
                    "seed", scale == Scale.QUICK ? numbers(1, 2) : numbers(1, 2, 3)));
        }
    },
    NTK_CONVERGENCE("ntk-convergence", "Infinite-width kernel (SCIENCE.md)",
            "Distance of the tangent kernel to its infinite-width limit, dK_inf = ||K - Theta_inf (x) I_c||_F / "
                    + "||Theta_inf (x) I_c||_F, against the width m of one hidden layer, for relu and erf (closed-form "
                    + "Gaussian expectations) and tanh (adaptive quadrature); linear output, all layers trained, "
                    + "NTK parameterization, no Hessian probes; 100 steps, kernel every 20 steps. At init the finite-"
                    + "width kernel fluctuates around Theta_inf with a standard deviation of order m^(-1/2): the fit of "
                    + "infiniteWidthDistanceInit has slope about -1/2 for every activation. Quick: m = 100..10^4, seeds "
                    + "1-5; paper: m = 100..3 10^5, seeds 1-10.") {
        @Override
        SweepDefinition definition(Scale scale) {
            ObjectNode base = base(100, 20, "init");
            base.withObject("measurements").put("infiniteWidthKernel", true).put("linearizationError", false)
                    .putArray("hessianProbes");
            return sweep(base, WidthAxis.MAX, Map.of(
                    "network.hiddenWidths", scale == Scale.QUICK
                            ? widths(100, 316, 1000, 3162, 10000)
                            : widths(100, 316, 1000, 3162, 10000, 31623, 100000, 316228),
                    "network.activation", strings("relu", "erf", "tanh"),
                    "seed", scale == Scale.QUICK ? numbers(1, 2, 3, 4, 5) : numbers(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)));
        }
    };

    /** The conv presets' hidden activation. */
    private static final String CONV_ACTIVATION = "relu";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String id;
    private final String figure;
    private final String description;

    Preset(String id, String figure, String description) {
        this.id = id;
        this.figure = figure;
        this.description = description;
    }

    /** The sweep this preset runs at {@code scale} (a fresh copy, free to modify). */
    abstract SweepDefinition definition(Scale scale);

    /** The definition with its name and tags. */
    public SweepDefinition at(Scale scale) {
        SweepDefinition d = definition(scale);
        return new SweepDefinition(id + "-" + scale.value(), Map.of("preset", id, "scale", scale.value()), d.base(),
                d.grid(), d.widthAxis(), id, scale);
    }

    public String id() {
        return id;
    }

    public String figure() {
        return figure;
    }

    public String description() {
        return description;
    }

    public static java.util.Optional<Preset> byId(String id) {
        for (Preset p : values()) {
            if (p.id.equalsIgnoreCase(id)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    private static ObjectNode base(int steps, int kernelEvery, String hessianAt) {
        ObjectNode base = JSON.createObjectNode();
        base.withObject("network").put("activation", "tanh").put("parameterization", "ntk");
        base.withObject("data").put("generator", "sphere").put("n", 20).put("inputDim", 10);
        ObjectNode training = base.withObject("training");
        training.withObject("learningRate").put("auto", 0.5);
        training.put("steps", steps);
        base.withObject("measurements").put("kernelEvery", kernelEvery).put("hessianAt", hessianAt)
                .put("linearizationError", true);
        return base;
    }

    /** The conv presets' base: images 3x8x8, n = 20, c = 1, 3x3 same convolutions, average pooling. */
    private static ObjectNode convBase(String architecture, int steps, int kernelEvery) {
        ObjectNode base = base(steps, kernelEvery, "init");
        base.withObject("network").put("architecture", architecture).put("activation", CONV_ACTIVATION)
                .put("kernelSize", 3).put("padding", "same").put("pooling", "average").put("outputDim", 1);
        ObjectNode data = base.putObject("data");
        data.put("generator", "images").put("n", 20);
        data.putArray("imageShape").add(3).add(8).add(8);
        base.withObject("measurements").put("lanczosMaxIter", 40);
        return base;
    }

    private static ObjectNode probe(int index) {
        return JSON.createObjectNode().put("index", index).put("output", 0);
    }

    private static SweepDefinition sweep(ObjectNode base, WidthAxis axis, Map<String, List<JsonNode>> grid) {
        LinkedHashMap<String, List<JsonNode>> ordered = new LinkedHashMap<>();
        for (String path : List.of("network.hiddenWidths", "network.channels", "network.activation", "network.outputMap",
                "seed")) {
            if (grid.containsKey(path)) {
                ordered.put(path, grid.get(path));
            }
        }
        return new SweepDefinition(null, Map.of(), base, ordered, axis, null, null);
    }

    private static List<JsonNode> widths(int... ms) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (int m : ms) {
            out.add(JSON.createArrayNode().add(m));
        }
        return out;
    }

    private static List<JsonNode> strings(String... values) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String v : values) {
            out.add(JSON.getNodeFactory().stringNode(v));
        }
        return out;
    }

    private static List<JsonNode> numbers(int... values) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (int v : values) {
            out.add(JSON.getNodeFactory().numberNode(v));
        }
        return out;
    }
}
