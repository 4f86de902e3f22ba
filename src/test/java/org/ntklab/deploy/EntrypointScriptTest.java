package org.ntklab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entrypoint ({@code src/main/docker/entrypoint.sh}) in dry-run mode, on planted
 * cgroup and meminfo files: the javacpp limits are the stated percentages of the container's
 * memory limit, or of MemTotal when the container is unlimited.
 */
class EntrypointScriptTest {

    private static final Path SCRIPT = Path.of("src", "main", "docker", "entrypoint.sh");
    private static final long GIB = 1L << 30;
    /** MemTotal of the planted machine: 64 GiB, in KiB as /proc/meminfo states it. */
    private static final long MEM_TOTAL = 64 * GIB;

    @TempDir
    Path root;

    @BeforeEach
    void plantMeminfo() throws IOException {
        Files.writeString(root.resolve("meminfo"), "MemTotal:       " + MEM_TOTAL / 1024 + " kB\nMemFree: 1 kB\n");
        Files.createDirectories(root.resolve("cgroup"));
    }

    @Test
    void sizesFromTheCgroupV2Limit() throws Exception {
        Files.writeString(root.resolve("cgroup/memory.max"), 4 * GIB + "\n");
        List<String> command = run(Map.of(), "--server.port=9090");
        assertThat(command).containsSequence("java", "--add-modules=jdk.incubator.vector", "-XX:MaxRAMPercentage=25",
                "-Dorg.bytedeco.javacpp.cachedir=/var/cache/javacpp",
                "-Dorg.bytedeco.javacpp.maxbytes=" + 4 * GIB * 60 / 100,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + 4 * GIB * 90 / 100,
                "org.springframework.boot.loader.launch.JarLauncher", "--server.port=9090");
    }

    @Test
    void sizesFromTheCgroupV1Limit() throws Exception {
        Files.createDirectories(root.resolve("cgroup/memory"));
        Files.writeString(root.resolve("cgroup/memory/memory.limit_in_bytes"), 2 * GIB + "\n");
        assertThat(run(Map.of())).contains("-Dorg.bytedeco.javacpp.maxbytes=" + 2 * GIB * 60 / 100);
    }

    @Test
    void anUnlimitedContainerIsSizedFromMemTotal() throws Exception {
        Files.writeString(root.resolve("cgroup/memory.max"), "max\n");
        assertThat(run(Map.of())).contains("-Dorg.bytedeco.javacpp.maxbytes=" + MEM_TOTAL * 60 / 100);

        // cgroup v1 states "unlimited" as a number near 2^63.
        Files.delete(root.resolve("cgroup/memory.max"));
        Files.createDirectories(root.resolve("cgroup/memory"));
        Files.writeString(root.resolve("cgroup/memory/memory.limit_in_bytes"), "9223372036854771712\n");
        assertThat(run(Map.of())).contains("-Dorg.bytedeco.javacpp.maxbytes=" + MEM_TOTAL * 60 / 100);
    }

    @Test
    void percentagesAndJavaOptsOverride() throws Exception {
        Files.writeString(root.resolve("cgroup/memory.max"), 10 * GIB + "\n");
        List<String> command = run(Map.of("JAVA_HEAP_PERCENT", "30", "JAVACPP_MAXBYTES_PERCENT", "50",
                "JAVACPP_MAXPHYSICALBYTES_PERCENT", "85", "JAVA_OPTS", "-Xss2m -Dorg.bytedeco.javacpp.maxbytes=1G"));
        assertThat(command).contains("-XX:MaxRAMPercentage=30");
        // JAVA_OPTS comes after the computed options, so its -D wins.
        assertThat(command).containsSequence("-Dorg.bytedeco.javacpp.maxbytes=" + 10 * GIB * 50 / 100,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + 10 * GIB * 85 / 100, "-Xss2m",
                "-Dorg.bytedeco.javacpp.maxbytes=1G", "org.springframework.boot.loader.launch.JarLauncher");
    }

    @Test
    void theVectorApiModuleIsOnWhenTheRuntimeHasItOrWhenAskedAndOffWhenAsked() throws Exception {
        // This test runs on a JDK 17, which has the module: "auto" finds it.
        assertThat(run(Map.of())).contains("--add-modules=jdk.incubator.vector");
        assertThat(run(Map.of("VECTOR_API", "on"))).contains("--add-modules=jdk.incubator.vector");
        assertThat(run(Map.of("VECTOR_API", "off"))).doesNotContain("--add-modules=jdk.incubator.vector")
                .startsWith("java", "-XX:MaxRAMPercentage=25");
    }

    /** The java command line the entrypoint would run, word by word. */
    private List<String> run(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString());
        pb.command().addAll(List.of(args));
        pb.environment().keySet().removeAll(List.of("JAVA_HEAP_PERCENT", "JAVACPP_MAXBYTES_PERCENT",
                "JAVACPP_MAXPHYSICALBYTES_PERCENT", "JAVACPP_CACHEDIR", "JAVA_OPTS", "VECTOR_API"));
        pb.environment().putAll(env);
        pb.environment().put("ENTRYPOINT_DRY_RUN", "true");
        pb.environment().put("CGROUP_ROOT", root.resolve("cgroup").toString());
        pb.environment().put("PROC_MEMINFO", root.resolve("meminfo").toString());
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return List.of(out.strip().split(" "));
    }
}
