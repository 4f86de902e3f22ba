package org.ntklab.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.ntklab.api.plot.HessianPlots;
import org.ntklab.api.plot.Plots;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.SweepRecord;
import org.ntklab.jobs.sweep.SweepDefinition;
import org.ntklab.jobs.sweep.SweepReport;
import org.ntklab.jobs.sweep.SweepService;
import org.ntklab.security.Caller;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sweeps: one request, many experiments, and the scaling exponents they reveal. */
@RestController
@RequestMapping(SweepController.PATH)
@Tag(name = "sweeps", description = "A base spec over a grid of overrides (or a preset of the paper), with fits and plots")
@Validated
public class SweepController {

    static final String PATH = "/api/v1/sweeps";

    private final SweepService service;

    public SweepController(SweepService service) {
        this.service = service;
    }

    @Operation(operationId = "submitSweep", summary = "Submit a sweep",
            description = "Either {base, grid} - grid maps a path such as network.hiddenWidths to the values it takes, "
                    + "expanded as a cartesian product into ordinary experiments - or {preset, scale} with optional base "
                    + "(merged) and grid (entries replace the preset's). Every child is validated and checked against the "
                    + "memory budget first; all are queued or none.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = SweepDefinition.class),
                    examples = {
                            @ExampleObject(name = "custom", summary = "A custom sweep: widths x output maps x seeds",
                                    value = """
                                            {"name": "gelu widths",
                                             "base": {"network": {"activation": "gelu"}, "training": {"steps": 300}},
                                             "grid": {"network.hiddenWidths": [[100], [1000], [10000]],
                                                      "network.outputMap": ["linear", "swish"], "seed": [1, 2, 3]}}"""),
                            @ExampleObject(name = "preset", summary = "The paper's Table 1 at quick scale",
                                    value = "{\"preset\": \"table-1\", \"scale\": \"quick\"}"),
                            @ExampleObject(name = "smaller preset", summary = "A preset with fewer widths and seeds",
                                    value = """
                                            {"preset": "figure-1-left", "scale": "quick",
                                             "grid": {"network.hiddenWidths": [[100], [1000]], "seed": [1, 2]}}""")})),
            responses = @ApiResponse(responseCode = "202", description = "Queued; Location names the sweep",
                    headers = @Header(name = HttpHeaders.LOCATION, required = true, description = "/api/v1/sweeps/{id}",
                            schema = @Schema(type = "string"))))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<SweepReport> submit(@RequestBody SweepDefinition definition) {
        SweepRecord sweep = service.submit(definition, Caller.current().name());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(PATH + "/" + sweep.id()))
                .body(service.report(sweep));
    }

    /** A sweep in a listing: without its table; {@code tags} are the ones every child carries. */
    public record SweepSummary(UUID id, String name, JobStatus status, java.util.Map<JobStatus, Long> counts,
            java.time.Instant createdAt,
            java.util.Map<String, String> tags, String submittedBy) {
    }

    @Operation(operationId = "listSweeps", summary = "List sweeps, newest first")
    @GetMapping
    public Page<SweepSummary> list(
            @Parameter(description = "the name of the API key that submitted them (anonymous for requests without a key)")
            @RequestParam(required = false) String submittedBy,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        Page<SweepRecord> sweeps = service.list(submittedBy, page, size);
        List<SweepSummary> items = new ArrayList<>();
        for (SweepRecord s : sweeps.items()) {
            SweepReport r = service.report(s);
            items.add(new SweepSummary(r.id(), r.name(), r.status(), r.counts(), r.createdAt(), r.definition().tags(),
                    r.submittedBy()));
        }
        return new Page<>(items, sweeps.page(), sweeps.size(), sweeps.total());
    }

    @Operation(operationId = "getSweep", summary = "A sweep: state, counts by status, children, table and scaling fits")
    @GetMapping("/{id}")
    public SweepReport get(@PathVariable UUID id) {
        return service.report(sweep(id));
    }

    @Operation(operationId = "cancelSweep", summary = "Cancel a sweep's unfinished experiments",
            description = "A submitter may cancel the sweeps its key submitted; an admin, any.",
            responses = @ApiResponse(responseCode = "202", description = "Cancelled or stopping; the sweep"))
    @PostMapping("/{id}/cancel")
    public ResponseEntity<SweepReport> cancel(@PathVariable UUID id) {
        SweepRecord sweep = sweep(id);
        Caller.current().requireOwner(sweep.submittedBy(), "sweep " + id);
        service.cancel(id);
        return ResponseEntity.accepted().body(service.report(sweep));
    }

    @Operation(operationId = "downloadSweepTable", summary = "The sweep's table as CSV: one row per experiment",
            description = "With block norms measured, a column blockL_L' per block (mean over probes of "
                    + "||H^(l,l')(w0)||); with the trace, traceInit (mean over probes).",
            responses = @ApiResponse(responseCode = "200", description = "The table",
                    headers = @Header(name = HttpHeaders.CONTENT_DISPOSITION, required = true,
                            description = "attachment; filename=\"sweep-<id>.csv\"", schema = @Schema(type = "string")),
                    content = @Content(mediaType = "text/csv", schema = @Schema(type = "string"))))
    @GetMapping(path = "/{id}/table.csv", produces = "text/csv")
    public ResponseEntity<byte[]> table(@PathVariable UUID id) {
        SweepReport report = service.report(sweep(id));
        Set<String> paths = new LinkedHashSet<>();
        report.table().forEach(r -> paths.addAll(r.overrides().keySet()));
        StringBuilder csv = new StringBuilder("index,id,status");
        paths.forEach(p -> csv.append(',').append(p));
        Set<String> blocks = new LinkedHashSet<>();
        report.table().forEach(r -> {
            if (r.blockNormsInit() != null) {
                blocks.addAll(r.blockNormsInit().keySet());
            }
        });
        boolean trace = report.table().stream().anyMatch(r -> r.traceInit() != null);
        csv.append(",width,seed,kernelChange,hessianInit,hessianEnd,initialLoss,finalLoss,weightChangeL2,"
                + "linearizationError,learningRate,infiniteWidthDistanceInit");
        blocks.forEach(b -> csv.append(",block").append(b.replace(',', '_')));
        csv.append(trace ? ",traceInit\n" : "\n");
        for (SweepReport.Row r : report.table()) {
            csv.append(r.index()).append(',').append(r.id()).append(',').append(r.status());
            for (String p : paths) {
                Object v = r.overrides().get(p);
                csv.append(',').append(v == null ? "" : quote(String.valueOf(v)));
            }
            csv.append(',').append(r.width()).append(',').append(r.seed());
            for (Double d : new Double[] {r.kernelChange(), r.hessianInit(), r.hessianEnd(), r.initialLoss(), r.finalLoss(),
                    r.weightChangeL2(), r.linearizationError(), r.learningRate(), r.infiniteWidthDistanceInit()}) {
                csv.append(',').append(d == null ? "" : d.toString());
            }
            for (String b : blocks) {
                Double d = r.blockNormsInit() == null ? null : r.blockNormsInit().get(b);
                csv.append(',').append(d == null ? "" : d.toString());
            }
            if (trace) {
                csv.append(',').append(r.traceInit() == null ? "" : r.traceInit().toString());
            }
            csv.append('\n');
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"sweep-" + id + ".csv\"")
                .body(csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Operation(operationId = "plotSweep", summary = "A log-log plot of the sweep (SVG)",
            description = "x=width: one series per group with its fitted power law; x=step: dK(t) or the loss of every "
                    + "experiment over training.",
            responses = @ApiResponse(responseCode = "200", description = "An SVG document",
                    content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))))
    @GetMapping(path = "/{id}/plot.svg", produces = "image/svg+xml")
    public ResponseEntity<String> plot(@PathVariable UUID id,
            @Parameter(description = "width or step (case, '-' and '_' are ignored)",
                    schema = @Schema(type = "string", allowableValues = {"width", "step"}, defaultValue = "width"))
            @RequestParam(defaultValue = "width") Plots.XAxis x,
            @Parameter(description = "kernelChange, hessianInit, hessianEnd, finalLoss, weightChangeL2, linearizationError "
                    + "or infiniteWidthDistanceInit; with x=step: kernelChange, loss, weightChangeL2 or linearizationError",
                    schema = @Schema(type = "string", defaultValue = "kernelChange", allowableValues = {"kernelChange",
                            "hessianInit", "hessianEnd", "finalLoss", "weightChangeL2", "linearizationError", "loss",
                            "infiniteWidthDistanceInit"}))
            @RequestParam(defaultValue = "kernelChange") Plots.Metric y) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
                .body(plots().sweep(service.report(sweep(id)), x, y));
    }

    @Operation(operationId = "plotSweepHessianBlocks",
            summary = "The Hessian's block norms ||H^(l,l')(w0)|| as heat maps per width (SVG)",
            description = "One row of heat maps per group, one per width (mean over seeds and probes); needs "
                    + "measurements.hessianBlocks.",
            responses = @ApiResponse(responseCode = "200", description = "An SVG document",
                    content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))))
    @GetMapping(path = "/{id}/blocks.svg", produces = "image/svg+xml")
    public ResponseEntity<String> blocks(@PathVariable UUID id) {
        SweepReport report = service.report(sweep(id));
        if (report.table().stream().noneMatch(r -> r.blockNormsInit() != null)) {
            throw new NotFoundException("sweep " + id + " has no block norms (yet): measurements.hessianBlocks was not "
                    + "set, or no experiment has succeeded");
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
                .body(HessianPlots.sweepBlocks(report));
    }

    private Plots plots() {
        return new Plots(service::childReport);
    }

    private SweepRecord sweep(UUID id) {
        return service.find(id).orElseThrow(() -> new NotFoundException("no sweep with id " + id));
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
