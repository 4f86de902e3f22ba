package org.ntklab.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ntklab.core.train.Cancellation;
import org.ntklab.core.train.CancelledException;
import org.ntklab.core.train.ProgressListener;
import org.ntklab.jobs.ExperimentExecution;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.Job;
import org.ntklab.jobs.JobExecution;
import org.ntklab.jobs.JobFilter;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.spec.ExperimentSpecification;
import org.ntklab.security.SecurityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.GenericHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.SmartHttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * The service's own path of a first experiment, taken during start-up (before the engine's warm-up,
 * {@link org.ntklab.config.StartupWarmup}) so that the first real job does not share the cores with
 * class loading, Jackson's introspection and the JIT compiling them. Once the engine was warm, these
 * were what still made a first job slower than the second (issue 14: 0.1-0.2 s of a 0.8 s job).
 *
 * <p>It takes, with a tiny experiment's spec: the submission's body read by the MVC message
 * converters, checked, made canonical and hashed as {@link ExperimentService#submit} does; the
 * experiment as GET {@code /api/v1/experiments/{id}} shows it queued, running and succeeded, written
 * by the converters as a response is (each converter asked whether it can write the view, then the
 * JSON one writing it); the job run by the worker's {@link ExperimentExecution}: the stored spec
 * parsed, the engine, the exports and the report's JSON; once, a listing and a lookup of an id
 * nobody has; and, where the service listens on plain HTTP and answers anonymous requests (the
 * default on a laptop), two GET requests to itself per pass, an id nobody has (404) and a listing:
 * Tomcat, the security filters and the dispatcher. Without those, the first real requests made the
 * JIT compile Spring's annotation and handler-method code during the first job (C2, 0.1-0.2 s of
 * a core), on cores the job's threads, at nice 10, yield to it.
 *
 * <p>Nothing is stored and nothing is counted: the job exists only in memory, the database is only
 * read, the execution records no phase metrics ({@link ExperimentExecution#unrecorded()}) and the
 * requests are not observed ({@link WarmupRequests}).
 */
@Component
public class RequestPathWarmup implements Consumer<Cancellation> {

    private static final Logger log = LoggerFactory.getLogger(RequestPathWarmup.class);

    /** A spec with the usual measurements (kernel records, Hessian at init and end, linearisation) on a tiny net. */
    static final String SPEC = """
            {"name": "warm-up", "seed": 1, "tags": {"study": "warm-up"},
             "network": {"hiddenWidths": [16], "activation": "tanh", "outputMap": "linear"},
             "data": {"generator": "sphere", "n": 8, "inputDim": 3},
             "training": {"learningRate": {"auto": 0.5}, "steps": 4},
             "measurements": {"kernelEvery": 2, "hessianProbes": [0, {"index": 1, "output": 0}],
                              "hessianAt": "init-and-end", "lanczosMaxIter": 8}}""";

    /**
     * Passes over the request path (the experiment itself runs once): enough for the JIT to compile
     * what a request runs in loops (Jackson's property writers, the UTF-8 generator), a few
     * milliseconds each once compiled.
     */
    static final int PASSES = 20;

    /** The most a warm-up request may take (an answer takes milliseconds). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ExperimentService service;
    private final ExperimentViews views;
    private final ExperimentExecution execution;
    private final Supplier<List<HttpMessageConverter<?>>> converters;
    private final Clock clock;
    private final Supplier<URI> self;
    private final String token;

    @Autowired
    public RequestPathWarmup(ExperimentService service, ExperimentViews views, ExperimentExecution execution,
            ObjectProvider<RequestMappingHandlerAdapter> adapter, Clock clock, Environment environment,
            SecurityProperties security, WarmupRequests marker) {
        this(service, views, execution, () -> adapter.getObject().getMessageConverters(), clock,
                () -> self(environment, security), marker.token());
    }

    /**
     * @param execution  the workers' execution; it is run {@link ExperimentExecution#unrecorded() unrecorded}
     * @param converters the MVC message converters, in the order the handler adapter tries them (asked
     *                   for when the warm-up runs, once the web layer is complete)
     * @param self       the service's own base URI for the warm-up's GET requests, or null for none
     *                   (asked for when the warm-up runs, once the server listens)
     * @param token      the value of {@link WarmupRequests#HEADER} that keeps them out of the metrics
     */
    RequestPathWarmup(ExperimentService service, ExperimentViews views, ExperimentExecution execution,
            Supplier<List<HttpMessageConverter<?>>> converters, Clock clock, Supplier<URI> self, String token) {
        this.service = service;
        this.views = views;
        this.execution = execution.unrecorded();
        this.converters = converters;
        this.clock = clock;
        this.self = self;
        this.token = token;
    }

    /**
     * {@code http://127.0.0.1:port/context-path} (or the configured {@code server.address}), or null
     * when the warm-up should send no requests: no port (no server, as in tests with a mock web
     * environment), TLS, or anonymous requests refused (they would count as refused requests; the
     * Helm chart's configuration).
     */
    static URI self(Environment environment, SecurityProperties security) {
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (port == null || port <= 0 || environment.getProperty("server.ssl.enabled", Boolean.class, false)
                || security.anonymous().role().isEmpty()) {
            return null;
        }
        try {
            String address = environment.getProperty("server.address");
            InetAddress host = address == null || address.isBlank() ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName(address);
            if (host.isAnyLocalAddress()) {
                host = InetAddress.getLoopbackAddress();
            }
            return new URI("http", null, host.getHostAddress(), port,
                    environment.getProperty("server.servlet.context-path", ""), null, null);
        } catch (IOException | URISyntaxException e) {
            log.debug("the warm-up sends no requests to the service", e);
            return null;
        }
    }

    /**
     * What a warm-up of the request path did.
     *
     * @param passes  passes over the request path completed
     * @param steps   gradient-descent steps of the experiment run (0 if it did not run)
     * @param report  characters of the experiment's report, the JSON stored as a result (0 if it did not run)
     * @param written  bytes of response bodies written (and discarded)
     * @param answered the service's answers to the warm-up's GET requests that were as expected (404 for an
     *                 id nobody has, 200 for a listing); 0 when it sent none
     */
    public record Taken(int passes, int steps, int report, long written, int answered) {
    }

    /** Takes the path ({@link #take}); a failure is logged, never thrown. */
    @Override
    public void accept(Cancellation stop) {
        try {
            Taken taken = take(stop);
            log.debug("warm-up of the request path: {}", taken);
        } catch (CancelledException e) {
            // stopped: the service is shutting down
        } catch (RuntimeException | IOException e) {
            log.warn("warm-up of the request path failed; the first experiment may run slower", e);
        }
    }

    /**
     * Takes the path {@link #PASSES} times (the experiment runs in the first), stopping between
     * passes when {@code stop} asks.
     *
     * @throws CancelledException when stopped during the experiment
     */
    public Taken take(Cancellation stop) throws IOException {
        List<HttpMessageConverter<?>> mvc = List.copyOf(converters.get());
        URI base = self.get();
        HttpClient client = base == null ? null : HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
        JobExecution.Completed done = null;
        long written = 0;
        int answered = 0;
        int pass = 0;
        for (; pass < PASSES && !stop.isCancelled(); pass++) {
            Job queued = submitted(mvc);
            written += respond(mvc, views.of(queued));
            Job running = started(queued);
            written += respond(mvc, views.of(running));
            if (done == null) {
                done = execution.run(running, ProgressListener.NONE, stop);
                // reads only: a listing (one job, if any is stored) and a lookup of an id nobody has
                Page<Job> page = service.list(JobFilter.none(), 0, 1);
                written += respond(mvc, new Page<>(page.items().stream().map(views::of).toList(), page.page(),
                        page.size(), page.total()));
                service.find(UUID.randomUUID());
            }
            written += respond(mvc, views.of(succeeded(running, done)));
            if (client != null) {
                answered += get(client, base, ExperimentController.PATH + "/" + UUID.randomUUID(), null, 404);
                answered += get(client, base, ExperimentController.PATH, "size=1", 200);
            }
        }
        return new Taken(pass, done == null ? 0 : done.steps(), done == null ? 0 : done.result().length(), written,
                answered);
    }

    /**
     * A GET to the service itself, through Tomcat, the security filters and the dispatcher, marked
     * with {@link WarmupRequests#HEADER}. The body is discarded.
     *
     * @return 1 if it was answered with {@code expected}, else 0 (logged at debug)
     */
    private int get(HttpClient client, URI base, String path, String query, int expected) throws IOException {
        try {
            URI uri = new URI(base.getScheme(), null, base.getHost(), base.getPort(), base.getPath() + path, query,
                    null);
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header(WarmupRequests.HEADER, token).header("Accept", MediaType.APPLICATION_JSON_VALUE).GET()
                    .build();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != expected) {
                log.debug("the warm-up's GET {} was answered {}, not {}", uri, status, expected);
                return 0;
            }
            return 1;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
    }

    /** As a submission: the body read by the converters, checked, made canonical and hashed; not stored. */
    private Job submitted(List<HttpMessageConverter<?>> mvc) throws IOException {
        ExperimentSpecification spec = read(mvc, SPEC.getBytes(StandardCharsets.UTF_8));
        ExperimentSpecification full = service.checked(spec, -1, "", "");
        String canonical = service.canonical(full);
        String hash = ExperimentService.sha256(canonical);
        return new Job(UUID.randomUUID(), full.name(), JobStatus.QUEUED, canonical, hash, null, "anonymous",
                full.tags(), clock.instant(), null, null, 0, full.training().steps(), 0, null, null, false, null, null,
                null, null, null, null);
    }

    private Job started(Job job) {
        Instant now = clock.instant();
        return new Job(job.id(), job.name(), JobStatus.RUNNING, job.spec(), job.specHash(), null, job.submittedBy(),
                job.tags(), job.createdAt(), now, null, 1, job.progressSteps(), 1, "warm-up", now, false, null, null,
                null, null, null, null);
    }

    private Job succeeded(Job job, JobExecution.Completed done) {
        return new Job(job.id(), job.name(), JobStatus.SUCCEEDED, job.spec(), job.specHash(), null,
                job.submittedBy(), job.tags(), job.createdAt(), job.startedAt(), clock.instant(), done.steps(),
                job.progressSteps(), 1, "warm-up", null, false, null, done.result(), null, null, null, null);
    }

    /** The request body as the handler adapter reads it: the first converter that can read JSON into the type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ExperimentSpecification read(List<HttpMessageConverter<?>> converters, byte[] body) throws IOException {
        ResolvableType type = ResolvableType.forClass(ExperimentSpecification.class);
        HttpInputMessage input = new Body(body);
        for (HttpMessageConverter<?> converter : converters) {
            if (converter instanceof SmartHttpMessageConverter smart
                    && smart.canRead(type, MediaType.APPLICATION_JSON)) {
                return (ExperimentSpecification) smart.read(type, input, Map.of());
            }
            if (converter instanceof GenericHttpMessageConverter generic
                    && generic.canRead(ExperimentSpecification.class, null, MediaType.APPLICATION_JSON)) {
                return (ExperimentSpecification) generic.read(ExperimentSpecification.class, null, input);
            }
            if (converter.canRead(ExperimentSpecification.class, MediaType.APPLICATION_JSON)) {
                return (ExperimentSpecification) ((HttpMessageConverter) converter)
                        .read(ExperimentSpecification.class, input);
            }
        }
        throw new IllegalStateException("no message converter reads " + MediaType.APPLICATION_JSON);
    }

    /**
     * A response body as the return-value handler writes it: every converter is asked whether it
     * can write the value's type (the producible media types), then the first that writes JSON does.
     *
     * @return the bytes it wrote
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static long respond(List<HttpMessageConverter<?>> converters, Object value) throws IOException {
        Class<?> valueClass = value.getClass();
        ResolvableType type = ResolvableType.forClass(valueClass);
        for (HttpMessageConverter<?> converter : converters) {
            canWrite(converter, type, valueClass, null);
        }
        for (HttpMessageConverter<?> converter : converters) {
            if (!canWrite(converter, type, valueClass, MediaType.APPLICATION_JSON)) {
                continue;
            }
            Discarded output = new Discarded();
            if (converter instanceof SmartHttpMessageConverter smart) {
                smart.write(value, type, MediaType.APPLICATION_JSON, output, Map.of());
            } else if (converter instanceof GenericHttpMessageConverter generic) {
                generic.write(value, valueClass, MediaType.APPLICATION_JSON, output);
            } else {
                ((HttpMessageConverter) converter).write(value, MediaType.APPLICATION_JSON, output);
            }
            return output.body.count;
        }
        throw new IllegalStateException("no message converter writes " + valueClass.getName() + " as JSON");
    }

    private static boolean canWrite(HttpMessageConverter<?> converter, ResolvableType type, Class<?> valueClass,
            MediaType mediaType) {
        if (converter instanceof SmartHttpMessageConverter<?> smart) {
            return smart.canWrite(type, valueClass, mediaType);
        }
        if (converter instanceof GenericHttpMessageConverter<?> generic) {
            return generic.canWrite(valueClass, valueClass, mediaType);
        }
        return converter.canWrite(valueClass, mediaType);
    }

    /** A JSON request body. */
    private record Body(byte[] bytes) implements HttpInputMessage {
        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public HttpHeaders getHeaders() {
            HttpHeaders headers = new HttpHeaders();
            headers.setContentType(MediaType.APPLICATION_JSON);
            return headers;
        }
    }

    /** A response whose body goes nowhere, counted. */
    private static final class Discarded implements HttpOutputMessage {
        private final HttpHeaders headers = new HttpHeaders();
        private final Counted body = new Counted();

        @Override
        public OutputStream getBody() {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }

    private static final class Counted extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
