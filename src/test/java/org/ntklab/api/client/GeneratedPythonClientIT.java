package org.ntklab.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ntklab.support.Python;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Python client openapi-generator makes from openapi.yaml drives a started service: the whole
 * flow (src/test/python/client_flow.py), and the notebook examples/figure-1.ipynb executed end to
 * end with nbclient at the scale CI can afford (src/test/python/run_notebook.py). Skipped without
 * python3 and the client's modules, unless NTKLAB_REQUIRE_PYTHON=true (CI), when it fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:pythonclient;DB_CLOSE_DELAY=-1")
class GeneratedPythonClientIT {

    @LocalServerPort
    int port;

    @Test
    void theGeneratedClientRunsTheWholeFlow() {
        Python.require("pydantic", "urllib3", "dateutil");
        Python.Result r = Python.run(Duration.ofMinutes(5), "src/test/python/client_flow.py",
                "http://localhost:" + port, "src/test/resources/datasets/xy.npz");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("python client flow: OK");
    }

    @Test
    void theFigureOneNotebookRunsEndToEnd() {
        Python.require("nbclient", "nbformat", "ipykernel", "pandas", "matplotlib");
        Python.Result r = Python.run(Duration.ofMinutes(9), "src/test/python/run_notebook.py",
                "examples/figure-1.ipynb", "http://localhost:" + port, "ci", "target/figure-1.ipynb");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("notebook: OK");
    }
}
