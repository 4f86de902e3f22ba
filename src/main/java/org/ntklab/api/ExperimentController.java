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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ntklab.api.plot.HessianPlots;
import org.ntklab.api.plot.Plots;
import org.ntklab.jobs.Artifact;
import org.ntklab.jobs.ExperimentReport;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.Job;
import org.ntklab.jobs.JobFilter;
import org.ntklab.jobs.JobRepository;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.spec.ExperimentSpecification;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Experiments: submit, follow, list, cancel, download. */
@RestController
@RequestMapping(ExperimentController.PATH)
@Tag(name = "experiments", description = "One network trained and measured (SCIENCE.md defines every number)")
@Validated
public class ExperimentController {

    static final String PATH = "/api/v1/experiments";

    private final ExperimentService service;
    private final ExperimentViews views;
    private final ExperimentEvents events;

    public ExperimentController(ExperimentService service, ExperimentViews views, ExperimentEvents events) {
        this.service = service;
        this.views = views;
        this.events = events;
    }

    /** A first experiment, as in the README: a shallow tanh network of width 1000 on 20 points of the sphere. */
    static final String FIRST_EXPERIMENT = """
            {"name": "first", "seed": 1, "tags": {"study": "readme"},
             "network": {"hiddenWidths": [1000], "activation": "tanh", "outputMap": "linear"},
             "data": {"generator": "sphere", "n": 20, "inputDim": 10},
             "training": {"learningRate": {"auto": 0.5}, "steps": 500},
             "measurements": {"kernelEvery": 50, "hessianProbes": [0, {"index": 5, "output": 0}]}}""";

    @Operation(operationId = "submitExperiment", summary = "Submit an experiment",
            description = "Validates the spec (every field has a default), checks its memory estimate against the budget "
                    + "and queues it. 202 with Location; with an Idempotency-Key already used for the same spec, 200 "
                    + "and the original job.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ExperimentSpecification.class),
                    examples = {
                            @ExampleObject(name = "first", summary = "A first experiment (README)", value = FIRST_EXPERIMENT),
                            @ExampleObject(name = "defaults", summary = "Every field defaulted", value = "{}")})),
            responses = {
                    @ApiResponse(responseCode = "202", description = "Queued; Location names the experiment",
                            headers = @Header(name = HttpHeaders.LOCATION, required = true,
                                    description = "/api/v1/experiments/{id}", schema = @Schema(type = "string")),
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ExperimentView.class))),
                    @ApiResponse(responseCode = "200",
                            description = "Idempotent replay: the Idempotency-Key was used before for the same spec; "
                                    + "the original experiment",
                            headers = @Header(name = HttpHeaders.LOCATION, required = true,
                                    description = "/api/v1/experiments/{id}", schema = @Schema(type = "string")),
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ExperimentView.class)))})
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ExperimentView> submit(@RequestBody ExperimentSpecification spec,
            @Parameter(description = "Repeat-safe submission: the same key and spec return the original job")
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new BadRequestException("the Idempotency-Key header must have 1 to 200 characters");
        }
        ExperimentService.Submitted submitted = service.submit(spec, idempotencyKey, Caller.current().name());
        return ResponseEntity.status(submitted.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(location(submitted.job().id())).body(views.of(submitted.job()));
    }

    /** The ids of a batch, in submission order, and the queued experiments. */
    public record BatchResponse(List<UUID> ids, List<ExperimentView> experiments) {
    }

    @Operation(operationId = "submitExperimentBatch", summary = "Submit several experiments, all or none",
            description = "Every spec is validated first; if any is invalid nothing is queued and the problem lists "
                    + "each one's violations as [index].field.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @io.swagger.v3.oas.annotations.media.ArraySchema(
                            schema = @Schema(implementation = ExperimentSpecification.class)),
                    examples = @ExampleObject(name = "two widths", summary = "One network at two widths", value = """
                            [{"name": "m=100", "network": {"hiddenWidths": [100]}, "training": {"steps": 100}},
                             {"name": "m=1000", "network": {"hiddenWidths": [1000]}, "training": {"steps": 100}}]"""))),
            responses = @ApiResponse(responseCode = "202", description = "All queued, in submission order",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = BatchResponse.class))))
    @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<BatchResponse> submitBatch(@RequestBody List<ExperimentSpecification> specs) {
        List<Job> jobs = service.submitBatch(specs, Caller.current().name());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new BatchResponse(jobs.stream().map(Job::id).toList(), jobs.stream().map(views::of).toList()));
    }

    @Operation(operationId = "listExperiments", summary = "List experiments, newest first")
    @GetMapping
    public Page<ExperimentView> list(
            @RequestParam(required = false) JobStatus status,
            @Parameter(description = "key=value, or key alone for any value") @RequestParam(required = false) String tag,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Instant createdAfter,
            @RequestParam(required = false) Instant createdBefore,
            @Parameter(description = "the name of the API key that submitted them (anonymous for requests without a key)")
            @RequestParam(required = false) String submittedBy,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        String tagKey = null;
        String tagValue = null;
        if (tag != null) {
            int eq = tag.indexOf('=');
            tagKey = eq < 0 ? tag : tag.substring(0, eq);
            tagValue = eq < 0 ? null : tag.substring(eq + 1);
        }
        Page<Job> jobs = service.list(new JobFilter(status, tagKey, tagValue, name, createdAfter, createdBefore,
                submittedBy), page, size);
        return new Page<>(jobs.items().stream().map(views::of).toList(), jobs.page(), jobs.size(), jobs.total());
    }

    @Operation(operationId = "getExperiment", summary = "An experiment: status, progress, spec and, once SUCCEEDED, its result")
    @GetMapping("/{id}")
    public ExperimentView get(@PathVariable UUID id) {
        return views.of(job(id));
    }

    @Operation(operationId = "cancelExperiment", summary = "Cancel a queued or running experiment",
            description = "A queued one is CANCELLED at once (200); a running one stops within one training step (202). "
                    + "A submitter may cancel what its key submitted; an admin, anything.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "It was queued and is CANCELLED now",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ExperimentView.class))),
                    @ApiResponse(responseCode = "202", description = "It is running and stops within one step",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = ExperimentView.class)))})
    @PostMapping("/{id}/cancel")
    public ResponseEntity<ExperimentView> cancel(@PathVariable UUID id) {
        Caller.current().requireOwner(job(id).submittedBy(), "experiment " + id);
        JobRepository.CancelOutcome outcome = service.cancel(id);
        return switch (outcome) {
            case NOT_FOUND -> throw notFound(id);
            case ALREADY_TERMINAL -> throw new ConflictException("experiment " + id + " has already ended as "
                    + job(id).status());
            case CANCELLED -> ResponseEntity.ok(views.of(job(id)));
            case REQUESTED -> ResponseEntity.accepted().body(views.of(job(id)));
        };
    }

    @Operation(operationId = "streamExperimentEvents",
            summary = "Server-sent events: progress while it runs, then the final state",
            description = "A text/event-stream of two event names. 'progress' (data: a ProgressEvent, JSON) is sent at "
                    + "once and whenever the status or the step changes; 'state' (data: the ExperimentView, JSON) is "
                    + "the last event, sent once the experiment has ended; then the stream ends.",
            responses = @ApiResponse(responseCode = "200", description = "The event stream",
                    content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            schema = @Schema(implementation = ExperimentEvents.ExperimentEventStream.class))))
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable UUID id) {
        job(id);
        return events.subscribe(id);
    }

    @Operation(operationId = "downloadArtifact",
            summary = "Download an artifact: initial.npz, kernels.npz, trajectory.csv, losses.csv (and hessian.csv, "
                    + "density.csv when measured)",
            description = "A SUCCEEDED experiment has the first four, and hessian.csv (per-probe norms, blocks, traces) "
                    + "and density.csv (SLQ nodes and weights) when those were measured; a FAILED one that diverged "
                    + "keeps the four up to the step where its loss stopped being finite. The .npz files are "
                    + "application/octet-stream, the .csv files text/csv.",
            responses = @ApiResponse(responseCode = "200", description = "The file",
                    headers = @Header(name = HttpHeaders.CONTENT_DISPOSITION, required = true,
                            description = "attachment; filename=\"<name>\"", schema = @Schema(type = "string")),
                    content = {
                            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                    schema = @Schema(type = "string", format = "binary")),
                            @Content(mediaType = "text/csv", schema = @Schema(type = "string"))}))
    @GetMapping("/{id}/artifacts/{name}")
    public ResponseEntity<byte[]> artifact(@PathVariable UUID id,
            @Parameter(description = "initial.npz, kernels.npz, trajectory.csv, losses.csv, hessian.csv or density.csv",
                    example = "trajectory.csv")
            @PathVariable String name) {
        Job job = job(id);
        if (job.status() != JobStatus.SUCCEEDED && job.status() != JobStatus.FAILED) {
            throw new NotFoundException("experiment " + id + " has no artifacts: it is " + job.status());
        }
        Artifact artifact = service.artifact(id, name).orElseThrow(() -> {
            List<String> names = service.artifactNames(id);
            return new NotFoundException(names.isEmpty() ? "experiment " + id + " has no artifacts: it is " + job.status()
                    : "experiment " + id + " has no artifact '" + name + "'; it has " + names);
        });
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(artifact.contentType()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + artifact.name() + "\"")
                .body(artifact.content());
    }

    @Operation(operationId = "plotExperiment", summary = "The loss, dK(t) and the linearisation error over training (SVG)",
            responses = @ApiResponse(responseCode = "200", description = "An SVG document",
                    content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))))
    @GetMapping(path = "/{id}/plot.svg", produces = "image/svg+xml")
    public ResponseEntity<String> plot(@PathVariable UUID id) {
        Job job = job(id);
        ExperimentReport report = service.report(job).orElseThrow(() -> new NotFoundException(
                "experiment " + id + " has no result to plot: it is " + job.status()));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
                .body(new Plots(x -> java.util.Optional.empty()).experiment(job.name() + ": training", report));
    }

    @Operation(operationId = "plotExperimentHessianBlocks",
            summary = "The Hessian's block norms ||H^(l,l')|| as heat maps at init and at the end (SVG)",
            description = "Mean over probes; needs measurements.hessianBlocks.",
            responses = @ApiResponse(responseCode = "200", description = "An SVG document",
                    content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))))
    @GetMapping(path = "/{id}/hessian-blocks.svg", produces = "image/svg+xml")
    public ResponseEntity<String> hessianBlocks(@PathVariable UUID id) {
        Job job = job(id);
        ExperimentReport report = service.report(job).filter(HessianPlots::hasBlocks).orElseThrow(() ->
                new NotFoundException("experiment " + id + " has no block norms: it is " + job.status()
                        + (job.status() == JobStatus.SUCCEEDED ? " without measurements.hessianBlocks" : "")));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
                .body(HessianPlots.experimentBlocks(job.name() + ": Hessian block norms", report));
    }

    @Operation(operationId = "plotExperimentHessianDensity",
            summary = "The spectral density of each probe's Hessian with its quadrature nodes (SVG)",
            description = "Stochastic Lanczos quadrature; needs measurements.hessianDensity.",
            responses = @ApiResponse(responseCode = "200", description = "An SVG document",
                    content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string"))))
    @GetMapping(path = "/{id}/density.svg", produces = "image/svg+xml")
    public ResponseEntity<String> density(@PathVariable UUID id,
            @Parameter(description = "init or end",
                    schema = @Schema(type = "string", allowableValues = {"init", "end"}, defaultValue = "init"))
            @RequestParam(defaultValue = "init") String at) {
        if (!at.equals("init") && !at.equals("end")) {
            throw new BadRequestException("at must be init or end, got '" + at + "'");
        }
        Job job = job(id);
        ExperimentReport report = service.report(job).filter(HessianPlots::hasDensity).orElseThrow(() ->
                new NotFoundException("experiment " + id + " has no spectral density: it is " + job.status()
                        + (job.status() == JobStatus.SUCCEEDED ? " without measurements.hessianDensity" : "")));
        boolean end = at.equals("end");
        if ((end ? report.hessianEnd() : report.hessianInit()) == null
                || (end ? report.hessianEnd() : report.hessianInit()).probes().stream().noneMatch(p -> p.density() != null)) {
            throw new NotFoundException("experiment " + id + " has no spectral density at " + at);
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("image/svg+xml"))
                .body(HessianPlots.density(job.name() + ": Hessian spectral density at " + at, report, end));
    }

    private Job job(UUID id) {
        return service.find(id).orElseThrow(() -> notFound(id));
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no experiment with id " + id);
    }

    private static URI location(UUID id) {
        return URI.create(PATH + "/" + id);
    }
}
