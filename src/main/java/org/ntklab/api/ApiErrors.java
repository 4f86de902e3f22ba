package org.ntklab.api;

import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.ntklab.jobs.JsonErrors;
import org.ntklab.jobs.StorageFailures;
import org.ntklab.jobs.SubmissionException;
import org.ntklab.jobs.dataset.DatasetException;
import org.ntklab.jobs.spec.Violation;
import org.ntklab.security.AuthProblems;
import org.ntklab.security.NotOwnerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error as an RFC 9457 problem detail, mapped in one place. Validation problems list each
 * field: {@code "errors": [{"field": "network.hiddenWidths[0]", "message": "..."}]}.
 */
@RestControllerAdvice
public class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private final ObjectProvider<AuthProblems> authProblems;

    /** @param authProblems counts 403s for jobs of another key; absent where security is not configured */
    public ApiErrors(ObjectProvider<AuthProblems> authProblems) {
        this.authProblems = authProblems;
    }

    static final URI INVALID = URI.create("/problems/invalid-request");
    static final URI QUEUE_FULL = URI.create("/problems/queue-full");
    static final URI QUOTA_EXCEEDED = URI.create("/problems/quota-exceeded");
    static final URI MEMORY = URI.create("/problems/over-memory-budget");
    static final URI IDEMPOTENCY = URI.create("/problems/idempotency-key-reused");
    static final URI NOT_FOUND = URI.create("/problems/not-found");
    static final URI CONFLICT = URI.create("/problems/conflict");
    static final URI TOO_LARGE = URI.create("/problems/body-too-large");
    static final URI INTERNAL = URI.create("/problems/internal-error");
    static final URI INVALID_DATASET = URI.create("/problems/invalid-dataset");
    static final URI DATASET_IN_USE = URI.create("/problems/dataset-in-use");
    static final URI DATABASE_UNAVAILABLE = URI.create("/problems/database-unavailable");
    static final URI INSUFFICIENT_STORAGE = URI.create("/problems/insufficient-storage");

    /** What a 503 for an unreachable database advises. */
    static final long DATABASE_RETRY_AFTER_SECONDS = 5;

    @ExceptionHandler(SubmissionException.Invalid.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public ProblemDetail invalid(SubmissionException.Invalid e) {
        return invalid("The experiment spec is invalid", e.violations());
    }

    @ExceptionHandler(SubmissionException.QueueFull.class)
    @ResponseStatus(HttpStatus.TOO_MANY_REQUESTS)
    public ResponseEntity<ProblemDetail> queueFull(SubmissionException.QueueFull e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, QUEUE_FULL, "The queue is full", e.getMessage());
        p.setProperty("capacity", e.capacity());
        p.setProperty("retryAfterSeconds", e.retryAfterSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(p);
    }

    @ExceptionHandler(SubmissionException.QuotaExceeded.class)
    @ResponseStatus(HttpStatus.TOO_MANY_REQUESTS)
    public ResponseEntity<ProblemDetail> quotaExceeded(SubmissionException.QuotaExceeded e) {
        ProblemDetail p = problem(HttpStatus.TOO_MANY_REQUESTS, QUOTA_EXCEEDED, "Quota of active jobs exceeded",
                e.getMessage());
        p.setProperty("setting", e.setting());
        p.setProperty("maxActiveJobs", e.maxActiveJobs());
        p.setProperty("active", e.active());
        p.setProperty("requested", e.requested());
        p.setProperty("retryAfterSeconds", e.retryAfterSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds())).body(p);
    }

    @ExceptionHandler(SubmissionException.OverMemoryBudget.class)
    @ResponseStatus(HttpStatus.UNPROCESSABLE_CONTENT)
    public ProblemDetail memory(SubmissionException.OverMemoryBudget e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, MEMORY, "Over the memory budget", e.getMessage());
        p.setProperty("estimateBytes", e.estimateBytes());
        p.setProperty("budgetBytes", e.budgetBytes());
        p.setProperty("breakdown", e.breakdown());
        if (e.index() >= 0) {
            p.setProperty("index", e.index());
        }
        return p;
    }

    @ExceptionHandler(SubmissionException.IdempotencyConflict.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    public ProblemDetail idempotency(SubmissionException.IdempotencyConflict e) {
        return problem(HttpStatus.CONFLICT, IDEMPOTENCY, "Idempotency key reused", e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    public ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    public ProblemDetail conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, CONFLICT, "Conflict", e.getMessage());
    }

    @ExceptionHandler(BadRequestException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public ProblemDetail badRequest(BadRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, INVALID, "Bad request", e.getMessage());
    }

    @ExceptionHandler(BodyTooLargeException.class)
    @ResponseStatus(HttpStatus.CONTENT_TOO_LARGE)
    public ProblemDetail tooLarge(BodyTooLargeException e) {
        ProblemDetail p = problem(HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE, "Request body too large", e.getMessage());
        p.setProperty("maxBytes", e.maxBytes());
        p.setProperty("limit", "ntklab.max-body-size");
        return p;
    }

    @ExceptionHandler(DatasetException.Invalid.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public ProblemDetail invalidDataset(DatasetException.Invalid e) {
        return problem(HttpStatus.BAD_REQUEST, INVALID_DATASET, "The dataset is invalid", e.getMessage());
    }

    @ExceptionHandler(DatasetException.TooLarge.class)
    @ResponseStatus(HttpStatus.CONTENT_TOO_LARGE)
    public ProblemDetail datasetTooLarge(DatasetException.TooLarge e) {
        ProblemDetail p = problem(HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE, "Dataset too large", e.getMessage());
        p.setProperty("limit", e.limit());
        p.setProperty("max", e.max());
        return p;
    }

    @ExceptionHandler(DatasetException.InUse.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    public ProblemDetail datasetInUse(DatasetException.InUse e) {
        return problem(HttpStatus.CONFLICT, DATASET_IN_USE, "Dataset in use", e.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail p = problem(HttpStatus.CONTENT_TOO_LARGE, TOO_LARGE, "Dataset too large",
                "the upload exceeds the limit of ntklab.datasets.max-bytes");
        p.setProperty("limit", "ntklab.datasets.max-bytes");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(p);
    }

    @ExceptionHandler(NotOwnerException.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    public ProblemDetail notOwner(NotOwnerException e) {
        AuthProblems problems = authProblems.getIfAvailable();
        return problems != null ? problems.notOwner(e)
                : problem(HttpStatus.FORBIDDEN, AuthProblems.FORBIDDEN, "Forbidden", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        return invalid("Invalid parameter", List.of(new Violation(e.getName(),
                "'" + e.getValue() + "' is not a valid " + expected)));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    public ProblemDetail constraint(ConstraintViolationException e) {
        return invalid("Invalid parameter", e.getConstraintViolations().stream()
                .map(v -> new Violation(lastNode(v.getPropertyPath().toString()), v.getMessage())).toList());
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Violation> violations = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new Violation(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(invalid("Invalid parameter", violations));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (JsonErrors.causedBy(ex, BodyTooLargeException.class) instanceof BodyTooLargeException tooLarge) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge));
        }
        return ResponseEntity.badRequest().body(unreadable(ex));
    }

    /**
     * The database failed: 507 when it has no disk space left, 503 with Retry-After when it cannot
     * be reached (nothing was written: the request may be repeated), else an internal error.
     */
    @ExceptionHandler({org.springframework.dao.DataAccessException.class,
            org.springframework.transaction.TransactionException.class})
    public ResponseEntity<ProblemDetail> storage(RuntimeException e) {
        if (StorageFailures.outOfSpace(e)) {
            log.error("the database has no disk space left: {}", e.toString());
            return ResponseEntity.status(HttpStatus.INSUFFICIENT_STORAGE).body(problem(HttpStatus.INSUFFICIENT_STORAGE,
                    INSUFFICIENT_STORAGE, "Insufficient storage",
                    "the database has no disk space left, so nothing could be written; free disk space and retry "
                            + "(what was stored before is kept)"));
        }
        if (StorageFailures.unreachable(e)) {
            log.warn("the database is unreachable: {}", e.toString());
            ProblemDetail p = problem(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE, "Database unavailable",
                    "the database cannot be reached; retry later");
            p.setProperty("retryAfterSeconds", DATABASE_RETRY_AFTER_SECONDS);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER_SECONDS)).body(p);
        }
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(unexpected(e));
    }

    @ExceptionHandler(Exception.class)
    @ResponseStatus(HttpStatus.INTERNAL_SERVER_ERROR)
    public ProblemDetail unexpected(Exception e) {
        log.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL, "Internal error",
                "an unexpected error occurred; it has been logged");
    }

    /** A body that is not JSON, or JSON that does not fit the spec: name the field where possible. */
    private static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof JacksonException jackson) {
            return invalid("The request body could not be read",
                    List.of(new Violation(JsonErrors.path(jackson), JsonErrors.message(jackson))));
        }
        return invalid("The request body could not be read", List.of(new Violation("",
                cause == null ? "a JSON body is required" : cause.getMessage())));
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    static ProblemDetail invalid(String title, List<Violation> violations) {
        String detail = violations.size() == 1
                ? (violations.get(0).field().isEmpty() ? "" : violations.get(0).field() + ": ") + violations.get(0).message()
                : violations.size() + " problems; see errors";
        ProblemDetail p = problem(HttpStatus.BAD_REQUEST, INVALID, title, detail);
        p.setProperty("errors", violations.stream().map(v -> v.limit() == null
                ? Map.of("field", v.field(), "message", v.message())
                : Map.of("field", v.field(), "message", v.message(), "limit", v.limit())).toList());
        return p;
    }

    static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(type);
        p.setTitle(title);
        return p;
    }
}
