package org.ntklab.api.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.ntklab.core.experiment.BlockNorm;
import org.ntklab.core.experiment.HessianProbeResult;
import org.ntklab.core.experiment.HessianSummary;
import org.ntklab.core.spectral.SpectralDensity;
import org.ntklab.jobs.ExperimentReport;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.sweep.SweepReport;
import org.ntklab.jobs.sweep.SweepService;

/**
 * The Hessian's structure as SVG (SCIENCE.md, "Hessian structure"): the layer blocks' norms
 * ||H^(l,l')|| as heat maps (upper triangle, l down, l' across, colour on a log scale shared by
 * every panel; an exactly zero block is grey and marked 0), and the spectral density of stochastic
 * Lanczos quadrature with its nodes.
 */
public final class HessianPlots {

    private static final int CELL = 44;
    private static final int PANEL_GAP = 36;
    private static final int MARGIN = 60;
    private static final Color ZERO = new Color(0xcccccc);
    /** Viridis at five stops, interpolated linearly. */
    private static final Color[] SCALE = {new Color(0x440154), new Color(0x3b528b), new Color(0x21918c),
        new Color(0x5ec962), new Color(0xfde725)};

    private HessianPlots() {
    }

    /** One panel: a title and the blocks' norms keyed "l,l'". */
    private record Panel(String title, Map<String, Double> blocks) {
    }

    /** Mean over probes of each block norm, keyed "l,l'"; empty without blocks. */
    static Map<String, Double> meanBlocks(HessianSummary h) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (h == null || h.probes().isEmpty() || h.probes().stream().anyMatch(p -> p.blocks() == null)) {
            return out;
        }
        for (HessianProbeResult p : h.probes()) {
            for (BlockNorm b : p.blocks()) {
                out.merge(b.layers().get(0) + "," + b.layers().get(1), b.norm() / h.probes().size(), Double::sum);
            }
        }
        return out;
    }

    /** Whether the report has block norms at init. */
    public static boolean hasBlocks(ExperimentReport r) {
        return !meanBlocks(r.hessianInit()).isEmpty();
    }

    /** Whether the report has a spectral density at init. */
    public static boolean hasDensity(ExperimentReport r) {
        return r.hessianInit() != null && r.hessianInit().probes().stream().anyMatch(p -> p.density() != null);
    }

    /** An experiment's block norms (mean over probes) at init and, when measured, at the end. */
    public static String experimentBlocks(String title, ExperimentReport r) {
        List<Panel> panels = new ArrayList<>();
        panels.add(new Panel("init", meanBlocks(r.hessianInit())));
        Map<String, Double> end = meanBlocks(r.hessianEnd());
        if (!end.isEmpty()) {
            panels.add(new Panel("end (step " + r.steps() + ")", end));
        }
        return heatMaps(title, List.of(panels));
    }

    /**
     * A sweep's block norms at init as heat maps per width: one row of panels per group (the grid
     * values other than width and seed), one panel per width, the mean over seeds.
     */
    public static String sweepBlocks(SweepReport sweep) {
        Map<Map<String, String>, TreeMap<Integer, Map<String, List<Double>>>> groups = new LinkedHashMap<>();
        for (SweepReport.Row row : sweep.table()) {
            if (row.status() != JobStatus.SUCCEEDED || row.blockNormsInit() == null) {
                continue;
            }
            Map<String, List<Double>> cell = groups.computeIfAbsent(SweepService.group(row), k -> new TreeMap<>())
                    .computeIfAbsent(row.width(), k -> new LinkedHashMap<>());
            row.blockNormsInit().forEach((k, v) -> cell.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        List<List<Panel>> rows = new ArrayList<>();
        for (Map.Entry<Map<String, String>, TreeMap<Integer, Map<String, List<Double>>>> g : groups.entrySet()) {
            List<Panel> panels = new ArrayList<>();
            String group = g.getKey().entrySet().stream().map(e -> shortName(e.getKey()) + "=" + e.getValue())
                    .reduce((a, b) -> a + ", " + b).orElse("all");
            for (Map.Entry<Integer, Map<String, List<Double>>> w : g.getValue().entrySet()) {
                Map<String, Double> mean = new LinkedHashMap<>();
                w.getValue().forEach((k, v) -> mean.put(k, v.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
                panels.add(new Panel(group + "  m=" + w.getKey(), mean));
            }
            rows.add(panels);
        }
        return heatMaps(sweep.name() + ": Hessian block norms ||H^(l,l')(w0)|| per width", rows);
    }

    private static String heatMaps(String title, List<List<Panel>> rows) {
        TreeSet<Integer> layers = new TreeSet<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (List<Panel> row : rows) {
            for (Panel p : row) {
                for (Map.Entry<String, Double> e : p.blocks().entrySet()) {
                    String[] ls = e.getKey().split(",");
                    layers.add(Integer.parseInt(ls[0]));
                    layers.add(Integer.parseInt(ls[1]));
                    if (e.getValue() > 0) {
                        lo = Math.min(lo, e.getValue());
                        hi = Math.max(hi, e.getValue());
                    }
                }
            }
        }
        List<Integer> order = List.copyOf(layers);
        int t = Math.max(order.size(), 1);
        int panelSize = t * CELL;
        int columns = rows.stream().mapToInt(List::size).max().orElse(1);
        int width = Math.max(2 * MARGIN + columns * (panelSize + PANEL_GAP) + 120, 420);
        int height = 2 * MARGIN + Math.max(rows.size(), 1) * (panelSize + PANEL_GAP + 24);
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 12, 24);
        double logLo = Math.log10(lo);
        double logHi = Math.log10(Math.max(hi, lo));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows.size(); r++) {
            int y0 = MARGIN + r * (panelSize + PANEL_GAP + 24);
            for (int c = 0; c < rows.get(r).size(); c++) {
                Panel p = rows.get(r).get(c);
                int x0 = MARGIN + c * (panelSize + PANEL_GAP);
                g.setColor(Color.BLACK);
                g.drawString(p.title(), x0, y0 - 6);
                for (int i = 0; i < order.size(); i++) {
                    g.setColor(Color.DARK_GRAY);
                    g.drawString("W" + order.get(i), x0 - 26, y0 + i * CELL + CELL / 2 + 4);
                    g.drawString("W" + order.get(i), x0 + i * CELL + CELL / 2 - 8, y0 + panelSize + 14);
                    for (int j = i; j < order.size(); j++) {
                        Double v = p.blocks().get(order.get(i) + "," + order.get(j));
                        if (v == null) {
                            continue;
                        }
                        int x = x0 + j * CELL;
                        int y = y0 + i * CELL;
                        g.setColor(v > 0 ? colour(logHi > logLo ? (Math.log10(v) - logLo) / (logHi - logLo) : 1.0) : ZERO);
                        g.fillRect(x, y, CELL - 2, CELL - 2);
                        if (v == 0) {
                            g.setColor(Color.BLACK);
                            g.drawString("0", x + CELL / 2 - 4, y + CELL / 2 + 4);
                        }
                    }
                }
            }
        }
        // the colour scale
        int lx = width - 100;
        int ly = MARGIN;
        int lh = 160;
        for (int k = 0; k < lh; k++) {
            g.setColor(colour(1.0 - k / (double) (lh - 1)));
            g.fillRect(lx, ly + k, 16, 1);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(lx, ly, 16, lh);
        g.drawString(Double.isFinite(hi) && hi > 0 ? sci(hi) : "-", lx + 20, ly + 8);
        g.drawString(Double.isFinite(lo) ? sci(lo) : "-", lx + 20, ly + lh);
        g.drawString("norm (log)", lx - 10, ly + lh + 18);
        return g.getSVGDocument();
    }

    /**
     * The spectral density of each probe's Hessian at init (or at the end): phi(t) as a curve per
     * probe, and the quadrature nodes theta_rj as points at their weights tau_rj / R (right axis).
     *
     * @throws IllegalArgumentException when no density was measured there
     */
    public static String density(String title, ExperimentReport r, boolean end) {
        HessianSummary h = end ? r.hessianEnd() : r.hessianInit();
        if (h == null || h.probes().stream().noneMatch(p -> p.density() != null)) {
            throw new IllegalArgumentException("no spectral density was measured " + (end ? "at the end" : "at init"));
        }
        XYSeriesCollection curves = new XYSeriesCollection();
        XYSeriesCollection nodes = new XYSeriesCollection();
        for (HessianProbeResult p : h.probes()) {
            SpectralDensity d = p.density();
            if (d == null) {
                continue;
            }
            String name = "probe x_" + p.index() + ", f_" + p.output();
            XYSeries curve = new XYSeries(name + String.format(Locale.ROOT, " (sigma %s)", sci(d.sigma())), false, true);
            for (int i = 0; i < d.grid().length; i++) {
                curve.add(d.grid()[i], d.values()[i]);
            }
            curves.addSeries(curve);
            XYSeries points = new XYSeries("nodes: " + name, false, true);
            for (int run = 0; run < d.nodes().size(); run++) {
                for (int j = 0; j < d.nodes().get(run).length; j++) {
                    points.add(d.nodes().get(run)[j], d.weights().get(run)[j] / d.nodes().size());
                }
            }
            nodes.addSeries(points);
        }
        NumberAxis x = new NumberAxis("eigenvalue t");
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("density phi(t)");
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        XYPlot plot = new XYPlot(curves, x, y, lines);
        NumberAxis weights = new NumberAxis("node weight tau / R");
        plot.setRangeAxis(1, weights);
        plot.setDataset(1, nodes);
        plot.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        plot.setRenderer(1, dots);
        for (int i = 0; i < curves.getSeriesCount(); i++) {
            Color c = PALETTE[i % PALETTE.length];
            lines.setSeriesPaint(i, c);
            lines.setSeriesStroke(i, new BasicStroke(1.5f));
            dots.setSeriesPaint(i, c);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        SVGGraphics2D g = new SVGGraphics2D(800, 560);
        chart.draw(g, new Rectangle(0, 0, 800, 560));
        return g.getSVGDocument();
    }

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
    };

    /** The viridis colour at {@code u} in [0, 1]. */
    static Color colour(double u) {
        double s = Math.max(0, Math.min(1, u)) * (SCALE.length - 1);
        int k = Math.min((int) s, SCALE.length - 2);
        double f = s - k;
        Color a = SCALE[k];
        Color b = SCALE[k + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /** Scientific notation with 3 significant digits, e.g. 5.04e-05 (never a bare 0 for a small value). */
    static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static String shortName(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
