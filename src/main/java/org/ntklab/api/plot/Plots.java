package org.ntklab.api.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueAxisPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.ntklab.core.experiment.TrajectoryPoint;
import org.ntklab.core.fit.PowerLawFit;
import org.ntklab.jobs.ExperimentReport;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.sweep.SweepReport;

/**
 * The paper's figures as SVG, drawn with JFreeChart: log-log scaling plots of a sweep (one
 * series per group, its fitted power law as a line), and quantities over training.
 */
public final class Plots {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 560;
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** The x axis of a sweep plot. */
    public enum XAxis {
        WIDTH,
        STEP
    }

    /** A plotted quantity, with its axis label (SCIENCE.md names). */
    public enum Metric {
        KERNEL_CHANGE("dK = ||K(w) - K(w0)||_F / ||K(w0)||_F"),
        HESSIAN_INIT("||H(w0)|| (mean over probes)"),
        HESSIAN_END("||H(w_T)|| (mean over probes)"),
        FINAL_LOSS("final loss L(w_T)"),
        WEIGHT_CHANGE_L2("||w - w0||_2"),
        LINEARIZATION_ERROR("max_i |f(w; x_i) - f_lin(w; x_i)|"),
        LOSS("loss L(w_t)"),
        INFINITE_WIDTH_DISTANCE_INIT("dK_inf(w0) = ||K(w0) - Theta_inf (x) I_c||_F / ||Theta_inf (x) I_c||_F");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Function<UUID, Optional<ExperimentReport>> reports;

    /** @param reports finds a child experiment's result, for plots over training */
    public Plots(Function<UUID, Optional<ExperimentReport>> reports) {
        this.reports = reports;
    }

    /** A sweep plot: x=WIDTH, a log-log scaling plot; x=STEP, every child's metric over training. */
    public String sweep(SweepReport sweep, XAxis x, Metric y) {
        return x == XAxis.WIDTH ? scaling(sweep, y) : overTraining(sweep, y);
    }

    private String scaling(SweepReport sweep, Metric y) {
        if (y == Metric.LOSS) {
            throw new IllegalArgumentException("with x=width, plot finalLoss rather than loss");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        Map<Map<String, String>, SweepReport.Fit> fits = sweep.fits().stream()
                .collect(Collectors.toMap(SweepReport.Fit::group, f -> f, (a, b) -> a, java.util.LinkedHashMap::new));
        Map<Map<String, String>, List<SweepReport.Row>> groups = sweep.table().stream()
                .filter(r -> r.status() == JobStatus.SUCCEEDED)
                .collect(Collectors.groupingBy(Plots::group, java.util.LinkedHashMap::new, Collectors.toList()));
        int colour = 0;
        for (Map.Entry<Map<String, String>, List<SweepReport.Row>> g : groups.entrySet()) {
            SweepReport.Fit fit = fits.get(g.getKey());
            PowerLawFit law = fit == null ? null : y == Metric.KERNEL_CHANGE ? fit.kernelChange()
                    : y == Metric.HESSIAN_INIT ? fit.hessianInit()
                    : y == Metric.INFINITE_WIDTH_DISTANCE_INIT ? fit.infiniteWidthDistanceInit() : null;
            String label = label(g.getKey()) + (law == null ? "" : String.format(Locale.ROOT, "  (slope %.3f%s)",
                    law.slope(), law.slopeLower() == null ? "" : String.format(Locale.ROOT, " [%.3f, %.3f]",
                            law.slopeLower(), law.slopeUpper())));
            XYSeries points = new XYSeries(label, true, true);
            for (SweepReport.Row r : g.getValue()) {
                Double v = value(r, y);
                if (v != null && v > 0) {
                    points.add(r.width(), v);
                }
            }
            Color c = PALETTE[colour++ % PALETTE.length];
            int series = data.getSeriesCount();
            data.addSeries(points);
            renderer.setSeriesLinesVisible(series, false);
            renderer.setSeriesShapesVisible(series, true);
            renderer.setSeriesPaint(series, c);
            if (law != null && points.getItemCount() > 0) {
                XYSeries line = new XYSeries("fit: " + label(g.getKey()), true, true);
                double lo = points.getMinX();
                double hi = points.getMaxX();
                for (int i = 0; i <= 20; i++) {
                    double m = lo * Math.pow(hi / lo, i / 20.0);
                    line.add(m, Math.exp(law.intercept() + law.slope() * Math.log(m)));
                }
                int s = data.getSeriesCount();
                data.addSeries(line);
                renderer.setSeriesLinesVisible(s, true);
                renderer.setSeriesShapesVisible(s, false);
                renderer.setSeriesPaint(s, c);
                renderer.setSeriesStroke(s, new BasicStroke(1.5f));
                renderer.setSeriesVisibleInLegend(s, false);
            }
        }
        LogAxis xAxis = logAxis("width m");
        ValueAxis yAxis = logAxis(y.label());
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        return render(chart(sweep.name() + ": " + y.label() + " against width", plot));
    }

    private String overTraining(SweepReport sweep, Metric y) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (SweepReport.Row r : sweep.table()) {
            if (r.status() != JobStatus.SUCCEEDED) {
                continue;
            }
            Optional<ExperimentReport> report = reports.apply(r.id());
            if (report.isEmpty()) {
                continue;
            }
            XYSeries series = new XYSeries("#" + r.index() + " " + label(r.overrides().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()), (a, b) -> a,
                            java.util.LinkedHashMap::new))), true, true);
            for (TrajectoryPoint p : report.get().trajectory()) {
                Double v = trajectoryValue(p, y);
                if (v != null) {
                    series.add(p.step(), v);
                }
            }
            data.addSeries(series);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        XYPlot plot = new XYPlot(data, numberAxis("step t"), numberAxis(y.label()), renderer);
        return render(chart(sweep.name() + ": " + y.label() + " over training", plot));
    }

    /** One experiment: the loss (log scale) and dK(t) over training, on a shared step axis. */
    public String experiment(String title, ExperimentReport report) {
        XYSeries loss = new XYSeries("loss L(w_t)");
        XYSeries dk = new XYSeries("dK(t)");
        XYSeries lin = new XYSeries("linearisation error");
        for (TrajectoryPoint p : report.trajectory()) {
            if (p.loss() > 0) {
                loss.add(p.step(), p.loss());
            }
            dk.add(p.step(), p.kernelChange());
            if (p.linearizationError() != null) {
                lin.add(p.step(), p.linearizationError());
            }
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(numberAxis("step t"));
        XYLineAndShapeRenderer top = new XYLineAndShapeRenderer(true, true);
        top.setSeriesPaint(0, PALETTE[0]);
        plot.add(new XYPlot(new XYSeriesCollection(loss), null, logAxis("loss"), top), 1);
        XYSeriesCollection lower = new XYSeriesCollection(dk);
        if (lin.getItemCount() > 0) {
            lower.addSeries(lin);
        }
        XYLineAndShapeRenderer bottom = new XYLineAndShapeRenderer(true, true);
        bottom.setSeriesPaint(0, PALETTE[1]);
        bottom.setSeriesPaint(1, PALETTE[2]);
        plot.add(new XYPlot(lower, null, numberAxis("dK(t), linearisation error"), bottom), 1);
        return render(chart(title, plot));
    }

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
    };

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (plot instanceof XYPlot xy) {
            style(xy);
        } else if (plot instanceof CombinedDomainXYPlot combined) {
            for (Object sub : combined.getSubplots()) {
                style((XYPlot) sub);
            }
        }
        return chart;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
    }

    private static LogAxis logAxis(String label) {
        LogAxis axis = new DecadeAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(1e-12);
        axis.setLabelFont(LABEL);
        // Ticks at whole powers of ten (labelled 10^k), minor marks between them.
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0), false, false);
        axis.setMinorTickCount(9);
        axis.setMinorTickMarksVisible(true);
        return axis;
    }

    /**
     * A log axis that shows a single value (or values equal to nine digits) a decade wide around
     * it. LogAxis widens such a range by an additive minimum size (1e-8), which vanishes in
     * rounding at large magnitudes: a one-point loss series of 2.9e17 (zero steps, targets of
     * 1e9) left the range empty and the plot failed.
     */
    static final class DecadeAxis extends LogAxis {

        private static final long serialVersionUID = 1L;

        DecadeAxis(String label) {
            super(label);
        }

        @Override
        protected void autoAdjustRange() {
            if (isAutoRange() && getPlot() instanceof ValueAxisPlot values) {
                Range data = values.getDataRange(this);
                if (data != null && data.getLowerBound() > 0
                        && data.getUpperBound() - data.getLowerBound() <= 1e-9 * data.getUpperBound()) {
                    double root10 = Math.sqrt(10.0);
                    setRange(new Range(data.getLowerBound() / root10, data.getUpperBound() * root10),
                            false, false);
                    return;
                }
            }
            super.autoAdjustRange();
        }
    }

    private static NumberAxis numberAxis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(LABEL);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    private static String render(JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGDocument();
    }

    private static Map<String, String> group(SweepReport.Row row) {
        return org.ntklab.jobs.sweep.SweepService.group(row);
    }

    private static String label(Map<String, String> group) {
        if (group.isEmpty()) {
            return "all";
        }
        return group.entrySet().stream().map(e -> shortName(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String shortName(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static Double value(SweepReport.Row r, Metric y) {
        return switch (y) {
            case KERNEL_CHANGE -> r.kernelChange();
            case HESSIAN_INIT -> r.hessianInit();
            case HESSIAN_END -> r.hessianEnd();
            case FINAL_LOSS -> r.finalLoss();
            case WEIGHT_CHANGE_L2 -> r.weightChangeL2();
            case LINEARIZATION_ERROR -> r.linearizationError();
            case LOSS -> r.finalLoss();
            case INFINITE_WIDTH_DISTANCE_INIT -> r.infiniteWidthDistanceInit();
        };
    }

    private static Double trajectoryValue(TrajectoryPoint p, Metric y) {
        return switch (y) {
            case KERNEL_CHANGE -> p.kernelChange();
            case LOSS, FINAL_LOSS -> p.loss();
            case WEIGHT_CHANGE_L2 -> p.weightChangeL2();
            case LINEARIZATION_ERROR -> p.linearizationError();
            case HESSIAN_INIT, HESSIAN_END -> p.hessian() == null ? null : p.hessian().mean();
            case INFINITE_WIDTH_DISTANCE_INIT -> null; // measured at init and at the end, not per record
        };
    }
}
