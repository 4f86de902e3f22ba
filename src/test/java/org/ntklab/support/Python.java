package org.ntklab.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * python3 with the client openapi-generator made from openapi.yaml at build time
 * (target/generated-clients/python, put on PYTHONPATH). Tests that need it are skipped when
 * python3 or a module is missing, unless {@code NTKLAB_REQUIRE_PYTHON=true} (CI sets it, and
 * .ci/run installs the modules), when they fail.
 */
public final class Python {

    /** The generated client's package, from the openapi-generator-maven-plugin's python-client execution. */
    public static final Path CLIENT = Path.of("target", "generated-clients", "python");

    private Python() {
    }

    /** Skips (or, when required, fails) unless python3 can import every module, the generated client included. */
    public static void require(String... modules) {
        List<String> imports = new ArrayList<>(List.of("ntklab_client"));
        imports.addAll(List.of(modules));
        String problem;
        if (!Files.isDirectory(CLIENT.resolve("ntklab_client"))) {
            problem = "no generated Python client in " + CLIENT + " (run the build's generate-test-sources)";
        } else {
            Result r = run(Duration.ofSeconds(60), "-c", "import " + String.join(", ", imports));
            problem = r.exit() == 0 ? null : "python3 cannot import " + imports + ": " + r.output();
        }
        if (problem != null) {
            if (Boolean.parseBoolean(System.getenv("NTKLAB_REQUIRE_PYTHON"))) {
                throw new IllegalStateException("NTKLAB_REQUIRE_PYTHON is set but " + problem);
            }
            Assumptions.abort(problem);
        }
    }

    /** The exit status and the merged stdout and stderr of one python3 run. */
    public record Result(int exit, String output) {
    }

    /** Runs {@code python3 args...} in the repository root with the generated client on PYTHONPATH. */
    public static Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        String path = System.getenv("PYTHONPATH");
        builder.environment().put("PYTHONPATH", CLIENT.toAbsolutePath()
                + (path == null || path.isBlank() ? "" : java.io.File.pathSeparator + path));
        try {
            Path log = Files.createTempFile("ntklab-python", ".log");
            Process process = builder.redirectOutput(log.toFile()).start();
            boolean ended = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(ended ? process.exitValue() : -1,
                    ended ? output : output + "\n(killed after " + timeout + ")");
        } catch (IOException e) {
            return new Result(-1, "cannot run python3: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
