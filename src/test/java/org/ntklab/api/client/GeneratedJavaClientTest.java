package org.ntklab.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntklab.client.ApiClient;
import org.ntklab.client.ApiException;
import org.ntklab.client.JSON;
import org.ntklab.client.api.DatasetsApi;
import org.ntklab.client.api.ExperimentsApi;
import org.ntklab.client.api.SweepsApi;
import org.ntklab.client.model.AutoLearningRate;
import org.ntklab.client.model.BatchResponse;
import org.ntklab.client.model.DataSpec;
import org.ntklab.client.model.DatasetView;
import org.ntklab.client.model.ExperimentSpecification;
import org.ntklab.client.model.ExperimentView;
import org.ntklab.client.model.Fit;
import org.ntklab.client.model.LearningRateSetting;
import org.ntklab.client.model.MeasurementSettings;
import org.ntklab.client.model.NetworkSpec;
import org.ntklab.client.model.Probe;
import org.ntklab.client.model.ProbeSpec;
import org.ntklab.client.model.Problem;
import org.ntklab.client.model.SweepDefinition;
import org.ntklab.client.model.SweepReport;
import org.ntklab.client.model.TrainingSettings;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Java client that openapi-generator makes from the committed openapi.yaml (library native,
 * generated into target/generated-clients/java at build time) runs the whole flow against a
 * started service: submit, poll, read the Hessian, list by tag, batch, download, sweep with fits,
 * dataset upload, cancel, and an invalid spec as an exception whose problem lists the fields.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:javaclient;DB_CLOSE_DELAY=-1")
class GeneratedJavaClientTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @LocalServerPort
    int port;

    private ExperimentsApi experiments;
    private SweepsApi sweeps;
    private DatasetsApi datasets;

    @BeforeEach
    void client() {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        experiments = new ExperimentsApi(client);
        sweeps = new SweepsApi(client);
        datasets = new DatasetsApi(client);
    }

    private static ExperimentSpecification small(String name, int width, int steps) {
        return new ExperimentSpecification().name(name).seed(1L).tags(Map.of("flow", "java"))
                .network(new NetworkSpec().hiddenWidths(List.of(width)).activation(NetworkSpec.ActivationEnum.TANH))
                .data(new DataSpec().n(8).inputDim(3))
                .training(new TrainingSettings().steps(steps)
                        .learningRate(new LearningRateSetting(new AutoLearningRate().auto(0.5))))
                .measurements(new MeasurementSettings().kernelEvery(5)
                        // the shorthand and the object form of a probe
                        .hessianProbes(List.of(new ProbeSpec(0), new ProbeSpec(new Probe().index(1)))));
    }

    @Test
    void theGeneratedClientRunsTheWholeFlow() throws Exception {
        ExperimentView submitted = experiments.submitExperiment(small("java client", 64, 20), null);
        assertThat(submitted.getId()).isNotNull();
        assertThat(submitted.getStatus()).isIn(ExperimentView.StatusEnum.QUEUED, ExperimentView.StatusEnum.RUNNING,
                ExperimentView.StatusEnum.SUCCEEDED);

        ExperimentView done = await(() -> get(submitted.getId()));
        assertThat(done.getStatus()).isEqualTo(ExperimentView.StatusEnum.SUCCEEDED);
        assertThat(done.getResult().getHessianInit().getProbes()).hasSize(2);
        assertThat(done.getResult().getHessianInit().getMean()).isPositive();

        assertThat(experiments.listExperiments(null, "flow=java", null, null, null, null, 0, 50).getItems())
                .extracting(ExperimentView::getId).contains(submitted.getId());

        BatchResponse batch = experiments.submitExperimentBatch(
                List.of(small("batch a", 16, 5), small("batch b", 32, 5)));
        assertThat(batch.getIds()).hasSize(2);

        File trajectory = experiments.downloadArtifact(submitted.getId(), "trajectory.csv");
        assertThat(Files.readString(trajectory.toPath(), StandardCharsets.UTF_8)).startsWith("step,");
        File initial = experiments.downloadArtifact(submitted.getId(), "initial.npz");
        assertThat(Files.readAllBytes(initial.toPath())).startsWith('P', 'K');

        SweepReport sweep = sweeps.submitSweep(new SweepDefinition().name("java client widths")
                .base(small("child", 16, 10))
                .grid(Map.of("network.hiddenWidths", List.of(List.of(16), List.of(64), List.of(256)))));
        SweepReport swept = await(() -> {
            SweepReport s = sweeps.getSweep(sweep.getId());
            return s.getStatus() == SweepReport.StatusEnum.QUEUED || s.getStatus() == SweepReport.StatusEnum.RUNNING
                    ? null : s;
        });
        assertThat(swept.getStatus()).isEqualTo(SweepReport.StatusEnum.SUCCEEDED);
        Fit fit = swept.getFits().get(0);
        assertThat(fit.getWidths()).containsExactly(16, 64, 256);
        assertThat(fit.getHessianInit().getSlope()).isNegative();

        // openapi-generator 7.25.0's native library writes a File body as JSON (its path), not its bytes:
        // the client's own request hook sends the file instead
        Path npz = Path.of("src/test/resources/datasets/xy.npz");
        ApiClient uploads = new ApiClient();
        uploads.updateBaseUri("http://localhost:" + port);
        uploads.setRequestInterceptor(request -> {
            try {
                request.POST(java.net.http.HttpRequest.BodyPublishers.ofFile(npz));
            } catch (java.io.FileNotFoundException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        DatasetView dataset = new DatasetsApi(uploads).uploadDataset(npz.toFile(), "flow", null);
        assertThat(dataset.getId()).isNotNull();
        assertThat(datasets.getDataset(dataset.getId()).getxShape()).hasSize(2);

        ExperimentView longRun = experiments.submitExperiment(small("to cancel", 64, 100_000), null);
        ExperimentView cancelled = experiments.cancelExperiment(longRun.getId());
        assertThat(cancelled.getId()).isEqualTo(longRun.getId());
        assertThat(await(() -> get(longRun.getId())).getStatus()).isEqualTo(ExperimentView.StatusEnum.CANCELLED);

        ExperimentSpecification invalid = small("invalid", 64, 10);
        invalid.getNetwork().hiddenWidths(List.of(-1));
        assertThatThrownBy(() -> experiments.submitExperiment(invalid, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    Problem problem = parse(e.getResponseBody());
                    assertThat(problem.getErrors()).anySatisfy(f ->
                            assertThat(f.getField()).isEqualTo("network.hiddenWidths[0]"));
                });
    }

    private ExperimentView get(UUID id) throws ApiException {
        ExperimentView view = experiments.getExperiment(id);
        return view.getStatus() == ExperimentView.StatusEnum.QUEUED || view.getStatus() == ExperimentView.StatusEnum.RUNNING
                ? null : view;
    }

    private static Problem parse(String body) {
        try {
            return JSON.getDefault().getMapper().readValue(body, Problem.class);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    @FunctionalInterface
    private interface Poll<T> {
        T next() throws Exception;
    }

    /** Polls until {@code poll} returns non-null, within {@link #WAIT}. */
    private static <T> T await(Poll<T> poll) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T value = poll.next();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done after " + WAIT);
            }
            Thread.sleep(100);
        }
    }
}
