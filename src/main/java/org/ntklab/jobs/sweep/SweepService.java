package org.ntklab.jobs.sweep;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.ntklab.core.fit.PowerLawFit;
import org.ntklab.jobs.ExperimentReport;
import org.ntklab.core.experiment.BlockNorm;
import org.ntklab.core.experiment.HessianProbeResult;
import org.ntklab.core.experiment.HessianSummary;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.Job;
import org.ntklab.jobs.JobLog;
import org.ntklab.jobs.JobRepository;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.JsonErrors;
import org.ntklab.jobs.NewJob;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.SubmissionException;
import org.ntklab.jobs.SweepRecord;
import org.ntklab.jobs.WorkerPool;
import org.ntklab.jobs.spec.ExperimentSpecification;
import org.ntklab.jobs.spec.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sweeps: expansion of a base spec over a grid into ordinary experiments (so any worker of any
 * instance runs them), their state, table and scaling fits, and cancellation.
 */
public class SweepService {

    private static final Logger log = LoggerFactory.getLogger(SweepService.class);

    private final JobRepository repository;
    private final ExperimentService experiments;
    private final WorkerPool pool;
    private final JsonMapper json;
    private final Clock clock;
    private final int maxGrid;

    public SweepService(JobRepository repository, ExperimentService experiments, WorkerPool pool, JsonMapper json,
            Clock clock, int maxGrid) {
        this.repository = repository;
        this.experiments = experiments;
        this.pool = pool;
        this.json = json;
        this.clock = clock;
        this.maxGrid = maxGrid;
    }

    /**
     * Validates every child first (the spec rules, the memory budget, the queue), then stores the
     * sweep and queues all its children, or nothing.
     *
     * @throws SubmissionException when refused
     */
    public SweepRecord submit(SweepDefinition request, String submittedBy) {
        SweepDefinition definition = resolve(request);
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> e : definition.grid().entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                violations.add(new Violation("grid." + e.getKey(), "needs at least one value"));
            }
        }
        if (!violations.isEmpty()) {
            throw new SubmissionException.Invalid(violations);
        }
        long size = definition.size();
        if (size > maxGrid) {
            throw new SubmissionException.Invalid(List.of(new Violation("grid",
                    "the grid expands to " + size + " experiments; at most " + maxGrid + " are allowed", "ntklab.max-grid")));
        }
        UUID id = UUID.randomUUID();
        List<NewJob> children = new ArrayList<>();
        for (SweepExpansion.Child child : SweepExpansion.expand(definition)) {
            String prefix = "children[" + child.index() + "]";
            String context = child.overrides().isEmpty() ? "" : " (with " + describe(child.overrides()) + ")";
            ExperimentSpecification spec;
            try {
                spec = json.treeToValue(child.spec(), ExperimentSpecification.class);
            } catch (JacksonException e) {
                violations.add(new Violation(prefix + "." + JsonErrors.path(e), JsonErrors.message(e) + context));
                continue;
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(prefix, e.getMessage() + context));
                continue;
            }
            ExperimentSpecification full;
            try {
                full = experiments.checked(spec, child.index(), prefix, context);
            } catch (SubmissionException.Invalid e) {
                violations.addAll(e.violations());
                continue;
            }
            Map<String, String> tags = new LinkedHashMap<>(full.tags());
            tags.putAll(definition.tags());
            tags.put("sweep", id.toString());
            ExperimentSpecification tagged = new ExperimentSpecification(definition.name() + "/" + child.index(), tags,
                    full.seed(), full.dtype(), full.network(), full.data(), full.training(), full.measurements());
            for (Violation v : tagged.labelViolations()) {
                // the sweep's name and tags label every child: report them once, at the sweep's fields
                Violation atSweep = v.with(v.field(), v.message() + " (a child is named <sweep name>/<index> and "
                        + "tagged with the sweep's tags and sweep=<id>)");
                if (!violations.contains(atSweep)) {
                    violations.add(atSweep);
                }
            }
            String canonical = experiments.canonical(tagged);
            children.add(new NewJob(UUID.randomUUID(), tagged.name(), canonical, ExperimentService.sha256(canonical), null,
                    submittedBy, tagged.tags(), tagged.training().steps(), id, child.index(),
                    json.writeValueAsString(child.overrides())));
        }
        if (!violations.isEmpty()) {
            throw new SubmissionException.Invalid(violations);
        }
        experiments.requireCapacity(children.size());
        SweepRecord sweep = new SweepRecord(id, definition.name(), json.writeValueAsString(definition), submittedBy,
                clock.instant(), false);
        experiments.withinQuota(submittedBy, children.size(),
                max -> repository.insertSweepWithinQuota(sweep, children, max));
        try (JobLog context = JobLog.of(null, id, submittedBy)) {
            log.info("sweep {} queued by {}: {} experiments", id, submittedBy, children.size());
        }
        pool.wake();
        return sweep;
    }

    /** A preset request made concrete, with defaults: name, width axis, base. */
    SweepDefinition resolve(SweepDefinition request) {
        SweepDefinition base = request;
        if (request.preset() != null) {
            Preset preset = Preset.byId(request.preset()).orElseThrow(() -> new SubmissionException.Invalid(List.of(
                    new Violation("preset", "unknown preset '" + request.preset() + "'; presets: "
                            + java.util.Arrays.stream(Preset.values()).map(Preset::id).collect(Collectors.joining(", "))))));
            SweepDefinition p = preset.at(request.scale() == null ? Scale.QUICK : request.scale());
            ObjectNode merged = request.base() == null ? p.base() : SweepExpansion.merge(p.base(), request.base());
            LinkedHashMap<String, List<JsonNode>> grid = new LinkedHashMap<>(p.grid());
            grid.putAll(request.grid());
            Map<String, String> tags = new LinkedHashMap<>(p.tags());
            tags.putAll(request.tags());
            base = new SweepDefinition(request.name() == null ? p.name() : request.name(), tags, merged, grid,
                    request.widthAxis() == null ? p.widthAxis() : request.widthAxis(), p.preset(), p.scale());
        } else if (request.scale() != null) {
            throw new SubmissionException.Invalid(List.of(new Violation("scale", "a scale needs a preset")));
        }
        return new SweepDefinition(base.name() == null ? "sweep" : base.name(), base.tags(),
                base.base() == null ? json.createObjectNode() : base.base(), base.grid(),
                base.widthAxis() == null ? WidthAxis.MAX : base.widthAxis(), base.preset(), base.scale());
    }

    public Optional<SweepRecord> find(UUID id) {
        return repository.findSweep(id);
    }

    /** A page of sweeps, newest first; only those {@code submittedBy} submitted unless it is null. */
    public Page<SweepRecord> list(String submittedBy, int page, int size) {
        return repository.listSweeps(submittedBy, page, size);
    }

    /** Cancels every unfinished child; running ones on this instance stop at their next step. */
    public void cancel(UUID id) {
        List<UUID> stopping = repository.cancelSweep(id, clock.instant());
        try (JobLog context = JobLog.of(null, id, null)) {
            log.info("sweep {} cancelled: its queued experiments end cancelled, {} running one(s) asked to stop", id,
                    stopping.size());
        }
        for (UUID running : stopping) {
            pool.cancelLocal(running);
        }
    }

    /** The result of one experiment (a child's trajectory, for plots). */
    public Optional<ExperimentReport> childReport(UUID id) {
        return experiments.find(id).flatMap(experiments::report);
    }

    /** The sweep's state, table and fits, from its children as they are now. */
    public SweepReport report(SweepRecord sweep) {
        SweepDefinition definition = json.readValue(sweep.definition(), SweepDefinition.class);
        List<Job> children = repository.sweepChildren(sweep.id());
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) {
            counts.put(s, 0L);
        }
        List<SweepReport.Row> rows = new ArrayList<>();
        for (Job child : children) {
            counts.merge(child.status(), 1L, Long::sum);
            ExperimentSpecification spec = experiments.spec(child);
            Map<String, Object> overrides = child.overrides() == null ? Map.of()
                    : json.readValue(child.overrides(), LinkedHashMap.class);
            Optional<ExperimentReport> r = experiments.report(child);
            rows.add(new SweepReport.Row(child.sweepIndex(), child.id(), child.status(), overrides,
                    definition.widthAxis().of(spec.network().widths()), spec.seed(),
                    r.map(ExperimentReport::kernelChange).orElse(null),
                    r.map(x -> x.hessianInit() == null ? null : x.hessianInit().mean()).orElse(null),
                    r.map(x -> x.hessianEnd() == null ? null : x.hessianEnd().mean()).orElse(null),
                    r.map(ExperimentReport::initialLoss).orElse(null), r.map(ExperimentReport::finalLoss).orElse(null),
                    r.map(ExperimentReport::weightChangeL2).orElse(null),
                    r.map(ExperimentReport::linearizationError).orElse(null),
                    r.map(ExperimentReport::learningRate).orElse(null),
                    r.map(x -> x.infiniteWidthKernel() == null ? null : x.infiniteWidthKernel().distanceInit())
                            .orElse(null),
                    r.map(x -> blockNorms(x.hessianInit())).orElse(null),
                    r.map(x -> trace(x.hessianInit())).orElse(null)));
        }
        return new SweepReport(sweep.id(), sweep.name(), status(counts, children.size(), sweep.cancelRequested()), counts,
                sweep.createdAt(), sweep.submittedBy(), definition, children.stream().map(Job::id).toList(), rows, fits(rows, definition));
    }

    static JobStatus status(Map<JobStatus, Long> counts, int total, boolean cancelled) {
        long ended = counts.get(JobStatus.SUCCEEDED) + counts.get(JobStatus.FAILED) + counts.get(JobStatus.CANCELLED);
        if (ended < total) {
            return counts.get(JobStatus.QUEUED) == total ? JobStatus.QUEUED : JobStatus.RUNNING;
        }
        if (cancelled) {
            return JobStatus.CANCELLED;
        }
        if (counts.get(JobStatus.FAILED) > 0) {
            return JobStatus.FAILED;
        }
        return counts.get(JobStatus.CANCELLED) > 0 ? JobStatus.CANCELLED : JobStatus.SUCCEEDED;
    }

    /** Groups the succeeded rows by everything but width and seed and fits each group with two or more widths. */
    static List<SweepReport.Fit> fits(List<SweepReport.Row> rows, SweepDefinition definition) {
        Map<Map<String, String>, List<SweepReport.Row>> groups = new LinkedHashMap<>();
        for (SweepReport.Row row : rows) {
            if (row.status() != JobStatus.SUCCEEDED) {
                continue;
            }
            groups.computeIfAbsent(group(row), k -> new ArrayList<>()).add(row);
        }
        List<SweepReport.Fit> fits = new ArrayList<>();
        for (Map.Entry<Map<String, String>, List<SweepReport.Row>> g : groups.entrySet()) {
            List<SweepReport.Row> members = g.getValue();
            TreeSet<Integer> widths = members.stream().map(SweepReport.Row::width).collect(Collectors.toCollection(TreeSet::new));
            if (widths.size() < 2) {
                continue;
            }
            double[] m = members.stream().mapToDouble(SweepReport.Row::width).toArray();
            double[] dk = members.stream().mapToDouble(r -> r.kernelChange() == null ? Double.NaN : r.kernelChange()).toArray();
            boolean hasHessian = members.stream().allMatch(r -> r.hessianInit() != null);
            PowerLawFit hessian = hasHessian ? fitOrNull(m, members.stream().mapToDouble(SweepReport.Row::hessianInit).toArray())
                    : null;
            boolean hasLimit = members.stream().allMatch(r -> r.infiniteWidthDistanceInit() != null);
            PowerLawFit limit = hasLimit ? fitOrNull(m, members.stream()
                    .mapToDouble(SweepReport.Row::infiniteWidthDistanceInit).toArray()) : null;
            Map<String, PowerLawFit> blocks = null;
            if (members.stream().allMatch(r -> r.blockNormsInit() != null)) {
                blocks = new LinkedHashMap<>();
                for (String key : members.get(0).blockNormsInit().keySet()) {
                    blocks.put(key, fitOrNull(m, members.stream()
                            .mapToDouble(r -> r.blockNormsInit().getOrDefault(key, Double.NaN)).toArray()));
                }
            }
            PowerLawFit trace = members.stream().allMatch(r -> r.traceInit() != null)
                    ? fitOrNull(m, members.stream().mapToDouble(r -> Math.abs(r.traceInit())).toArray())
                    : null;
            fits.add(new SweepReport.Fit(g.getKey(), List.copyOf(widths), hessian, fitOrNull(m, dk), limit, blocks,
                    trace));
        }
        return fits;
    }

    /** Mean over probes of each block norm, keyed "l,l'"; null when the blocks were not measured. */
    static Map<String, Double> blockNorms(HessianSummary h) {
        if (h == null || h.probes().isEmpty() || h.probes().stream().anyMatch(p -> p.blocks() == null)) {
            return null;
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        for (HessianProbeResult p : h.probes()) {
            for (BlockNorm b : p.blocks()) {
                sums.merge(b.layers().get(0) + "," + b.layers().get(1), b.norm(), Double::sum);
            }
        }
        sums.replaceAll((k, v) -> v / h.probes().size());
        return sums;
    }

    /** Mean over probes of the Hutchinson trace; null when it was not measured. */
    static Double trace(HessianSummary h) {
        if (h == null || h.probes().isEmpty() || h.probes().stream().anyMatch(p -> p.trace() == null)) {
            return null;
        }
        return h.probes().stream().mapToDouble(p -> p.trace().estimate()).average().orElseThrow();
    }

    private static PowerLawFit fitOrNull(double[] x, double[] y) {
        try {
            return PowerLawFit.of(x, y);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The grid values a row shares with its group: all but the seed, with widths as a pattern in m. */
    public static Map<String, String> group(SweepReport.Row row) {
        Map<String, String> key = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : row.overrides().entrySet()) {
            if (e.getKey().equals("seed")) {
                continue;
            }
            if ((e.getKey().equals("network.hiddenWidths") || e.getKey().equals("network.channels"))
                    && e.getValue() instanceof List<?> widths) {
                key.put(e.getKey(), widths.stream()
                        .map(w -> ((Number) w).intValue() == row.width() ? "m" : String.valueOf(w))
                        .collect(Collectors.joining(", ", "[", "]")));
            } else {
                key.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        return key;
    }

    private static String describe(Map<String, JsonNode> overrides) {
        return overrides.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
