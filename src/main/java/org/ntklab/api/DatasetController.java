package org.ntklab.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.ntklab.core.data.DataArrays;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.dataset.CanonicalNpz;
import org.ntklab.jobs.dataset.DatasetException;
import org.ntklab.jobs.dataset.DatasetRecord;
import org.ntklab.jobs.dataset.DatasetService;
import org.ntklab.security.Caller;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Datasets: upload X and Y once (.npz or CSV), use them in many experiments and sweeps with
 * {@code "data": {"dataset": "<id>"}}. Uploads have their own limit, {@code ntklab.datasets.max-bytes},
 * instead of {@code ntklab.max-body-size}.
 */
@RestController
@RequestMapping(DatasetController.PATH)
@Tag(name = "datasets", description = "Uploaded training data (X, Y), stored once by content")
@Validated
public class DatasetController {

    static final String PATH = "/api/v1/datasets";
    private static final String CSV = "text/csv";

    private final DatasetService service;

    public DatasetController(DatasetService service) {
        this.service = service;
    }

    /**
     * The one upload operation as documented: the three handlers below (one per media type) carry
     * the same annotation, so the merged OpenAPI operation is the same whichever is read first.
     */
    @Operation(operationId = "uploadDataset", summary = "Upload a dataset: X (n, d) and Y (n, c)",
            description = "A .npz holding X and Y (float64, float32, int64 or int32, either byte order, C or Fortran "
                    + "order; other entries are ignored) as the raw body or the multipart field 'file', or a CSV with "
                    + "a header row whose columns named by 'targets' form Y and all others X. 201 with Location; 200 "
                    + "and the existing dataset when the same content was stored before. Limited by "
                    + "ntklab.datasets.max-bytes, max-rows and max-columns (413), not ntklab.max-body-size.",
            parameters = {
                    @Parameter(name = "name", in = ParameterIn.QUERY, description = "a label; default 'dataset'",
                            schema = @Schema(type = "string")),
                    @Parameter(name = "targets", in = ParameterIn.QUERY,
                            description = "CSV only: comma-separated names of the target columns, e.g. targets=y1,y2",
                            schema = @Schema(type = "string"))},
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA_VALUE,
                            schema = @Schema(type = "object", requiredProperties = "file"),
                            schemaProperties = @SchemaProperty(name = "file",
                                    schema = @Schema(type = "string", format = "binary", description = "the .npz"))),
                    @Content(mediaType = CSV, schema = @Schema(type = "string"))}),
            responses = {
                    @ApiResponse(responseCode = "201", description = "Stored; Location names the dataset",
                            headers = @Header(name = HttpHeaders.LOCATION, required = true,
                                    description = "/api/v1/datasets/{id}", schema = @Schema(type = "string")),
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = DatasetView.class))),
                    @ApiResponse(responseCode = "200", description = "The same content was stored before: that dataset",
                            headers = @Header(name = HttpHeaders.LOCATION, required = true,
                                    description = "/api/v1/datasets/{id}", schema = @Schema(type = "string")),
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                    schema = @Schema(implementation = DatasetView.class)))})
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface UploadOperation {
    }

    @UploadOperation
    @PostMapping(consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<DatasetView> uploadNpz(@Parameter(hidden = true) InputStream body,
            @Parameter(hidden = true) @RequestParam(required = false) String name,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength)
            throws IOException {
        requireLength(contentLength);
        return created(service.uploads().fromNpz(service.uploads().readLimited(body)), name);
    }

    @UploadOperation
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<DatasetView> uploadMultipart(@Parameter(hidden = true) @RequestPart("file") MultipartFile file,
            @Parameter(hidden = true) @RequestParam(required = false) String name) throws IOException {
        requireLength(file.getSize());
        try (InputStream in = file.getInputStream()) {
            DataArrays data = service.uploads().fromNpz(service.uploads().readLimited(in));
            return created(data, name != null ? name : file.getOriginalFilename());
        }
    }

    @UploadOperation
    @PostMapping(consumes = CSV)
    public ResponseEntity<DatasetView> uploadCsv(@Parameter(hidden = true) InputStream body,
            @Parameter(hidden = true) @RequestParam(required = false) String targets,
            @Parameter(hidden = true) @RequestParam(required = false) String name,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength)
            throws IOException {
        requireLength(contentLength);
        List<String> columns = targets == null ? List.of()
                : Arrays.stream(targets.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return created(service.uploads().fromCsv(service.uploads().readLimited(body), columns), name);
    }

    @Operation(operationId = "listDatasets", summary = "List datasets, newest first")
    @GetMapping
    public Page<DatasetView> list(
            @Parameter(description = "the name of the API key that first uploaded them (anonymous for requests without a key)")
            @RequestParam(required = false) String submittedBy,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        Page<DatasetRecord> datasets = service.list(submittedBy, page, size);
        return new Page<>(datasets.items().stream().map(r -> DatasetView.of(r, null)).toList(), datasets.page(),
                datasets.size(), datasets.total());
    }

    @Operation(operationId = "getDataset", summary = "A dataset: metadata and mean, std (population), min, max of each column of X and Y")
    @GetMapping("/{id}")
    public DatasetView get(@PathVariable UUID id) {
        DatasetRecord record = service.find(id).orElseThrow(() -> notFound(id));
        byte[] content = service.content(id).orElseThrow(() -> notFound(id));
        return DatasetView.of(record, CanonicalNpz.read(content));
    }

    @Operation(operationId = "downloadDataset", summary = "The dataset's X and Y as a .npz (float64, exactly as stored)",
            responses = @ApiResponse(responseCode = "200", description = "data.npz",
                    headers = @Header(name = HttpHeaders.CONTENT_DISPOSITION, required = true,
                            description = "attachment; filename=\"data.npz\"", schema = @Schema(type = "string")),
                    content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(type = "string", format = "binary"))))
    @GetMapping(path = "/{id}/data.npz", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<byte[]> data(@PathVariable UUID id) {
        byte[] content = service.content(id).orElseThrow(() -> notFound(id));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"data.npz\"").body(content);
    }

    @Operation(operationId = "deleteDataset", summary = "Delete a dataset",
            description = "204; 409 while a QUEUED or RUNNING experiment uses it. "
                    + "A submitter may delete the datasets its key uploaded first; an admin, any.",
            responses = @ApiResponse(responseCode = "204", description = "Deleted"))
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable UUID id) {
        DatasetRecord record = service.find(id).orElseThrow(() -> notFound(id));
        Caller.current().requireOwner(record.submittedBy(), "dataset " + id);
        return switch (service.delete(id)) {
            case DELETED -> ResponseEntity.noContent().build();
            case NOT_FOUND -> throw notFound(id);
            case IN_USE -> throw new DatasetException.InUse("dataset " + id
                    + " is used by a queued or running experiment; cancel it or wait for it to end");
        };
    }

    private void requireLength(Long length) {
        long max = service.uploads().limits().maxBytes();
        if (length != null && length > max) {
            throw service.uploads().tooLarge(max);
        }
    }

    private ResponseEntity<DatasetView> created(DataArrays data, String name) {
        DatasetService.Created created = service.create(data, name, Caller.current().name());
        return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create(PATH + "/" + created.dataset().id()))
                .body(DatasetView.of(created.dataset(), null));
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("no dataset with id " + id);
    }
}
