package org.ntklab.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints and renders {@code helm/ntklab} offline with Helm's own code (helm-java bundles it) and
 * checks the manifests: once with the chart's defaults (one replica on the embedded H2) and once
 * with {@code ci/production-values.yaml} (PostgreSQL, autoscaling, disruption budget, scraping).
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "ntklab");
    private static final Path PRODUCTION_VALUES = CHART.resolve("ci").resolve("production-values.yaml");
    private static final String RELEASE = "ntklab";

    private static Manifests defaults;
    private static Manifests production;

    @BeforeAll
    static void render() {
        defaults = template(UnaryOperator.identity());
        production = template(t -> t.withValuesFile(PRODUCTION_VALUES));
    }

    @Test
    void lintsStrictlyWithDefaultValues() {
        assertLintPasses(CHART);
    }

    @Test
    void lintsStrictlyWithProductionValues(@TempDir Path tmp) throws IOException {
        // helm lint takes no values file (in helm-java): lint a copy whose values.yaml is the defaults
        // with the production values merged in, as helm install -f would merge them.
        Path chart = copy(CHART, tmp.resolve("ntklab"));
        Map<String, Object> merged = merge(load(CHART.resolve("values.yaml")), load(PRODUCTION_VALUES));
        Files.writeString(chart.resolve("values.yaml"), new Yaml().dump(merged));
        assertLintPasses(chart);
    }

    @Test
    void defaultsRunOneReplicaOnTheEmbeddedDatabase() {
        Map<String, Object> deployment = defaults.one("Deployment");
        assertThat(at(deployment, "spec.replicas")).isEqualTo(1);
        assertThat(at(deployment, "spec.strategy.type")).isEqualTo("Recreate");
        Map<String, Object> env = env(defaults);
        assertThat(env).doesNotContainKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD");
        assertThat(defaults.kinds()).containsExactlyInAnyOrder("ConfigMap", "Service", "Deployment");
    }

    @Test
    void productionReadsTheDatabaseFromTheNamedSecret() {
        Map<String, Object> env = env(production);
        for (String name : List.of("URL", "USERNAME", "PASSWORD")) {
            Object ref = at(asMap(env.get("SPRING_DATASOURCE_" + name)), "valueFrom.secretKeyRef");
            assertThat(ref).as(name).isEqualTo(Map.of("name", "ntklab-postgres", "key", name.toLowerCase()));
        }
        Map<String, Object> deployment = production.one("Deployment");
        assertThat(asMap(at(deployment, "spec"))).doesNotContainKey("replicas"); // the HPA owns it
        assertThat(at(deployment, "spec.strategy.type")).isEqualTo("RollingUpdate");
    }

    @Test
    void instanceIdIsThePodName() {
        for (Manifests m : List.of(defaults, production)) {
            assertThat(at(asMap(env(m).get("NTKLAB_INSTANCE_ID")), "valueFrom.fieldRef.fieldPath"))
                    .isEqualTo("metadata.name");
        }
    }

    @Test
    void probesUseTheActuatorGroupsAndAllowMinutesForTheFirstStart() {
        for (Manifests m : List.of(defaults, production)) {
            Map<String, Object> c = container(m);
            assertThat(at(c, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(c, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat(at(c, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(at(c, probe + ".httpGet.port")).isEqualTo("http");
            }
            assertThat(at(c, "ports")).isEqualTo(List.of(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP")));
            int startupBudget = (Integer) at(c, "startupProbe.failureThreshold") * (Integer) at(c, "startupProbe.periodSeconds");
            assertThat(startupBudget).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void resourcesAndThreadsFollowTheValues() {
        assertThat(at(container(defaults), "resources.limits")).isEqualTo(
                Map.of("cpu", "2", "memory", "4Gi", "ephemeral-storage", "4Gi"));
        assertThat(at(container(production), "resources.limits")).isEqualTo(
                Map.of("cpu", "8", "memory", "32Gi", "ephemeral-storage", "4Gi"));
        assertThat(at(container(production), "resources.requests")).isEqualTo(
                Map.of("cpu", "8", "memory", "32Gi", "ephemeral-storage", "2Gi"));
        for (Manifests m : List.of(defaults, production)) {
            Map<String, Object> config = asMap(m.one("ConfigMap").get("data"));
            assertThat(config.get("OMP_NUM_THREADS")).isEqualTo(config.get("NTKLAB_ND4JTHREADS")).isEqualTo("2");
            assertThat(at(container(m), "envFrom")).isEqualTo(
                    List.of(Map.of("configMapRef", Map.of("name", "ntklab"))));
        }
        Map<String, Object> config = asMap(production.one("ConfigMap").get("data"));
        assertThat(config).containsEntry("NTKLAB_MEMORYBUDGET", "4GB").containsEntry("NTKLAB_QUEUECAPACITY", "5000")
                .containsEntry("NTKLAB_WORKERS", "0").containsEntry("NTKLAB_LEASE", "30s")
                .containsEntry("NTKLAB_HEARTBEAT", "3s").containsEntry("NTKLAB_MAXATTEMPTS", "3")
                .containsEntry("NTKLAB_SHUTDOWNGRACE", "20s").containsEntry("NTKLAB_LIMITS_MAXINPUTVALUES", "10000000")
                .containsEntry("JAVA_HEAP_PERCENT", "25").containsEntry("JAVACPP_MAXBYTES_PERCENT", "60")
                .containsEntry("JAVACPP_CACHEDIR", "/var/cache/javacpp");
    }

    @Test
    void runsAsNonRootOnAReadOnlyRootWithWritableEmptyDirs() {
        for (Manifests m : List.of(defaults, production)) {
            Map<String, Object> pod = asMap(at(m.one("Deployment"), "spec.template.spec"));
            assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
            assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
            Map<String, Object> c = container(m);
            assertThat(at(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(at(c, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
            assertThat(at(c, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));

            Map<String, String> mounts = byName(at(c, "volumeMounts")).entrySet().stream()
                    .filter(e -> !e.getKey().equals("api-keys"))
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue().get("mountPath")));
            assertThat(mounts).isEqualTo(Map.of("tmp", "/tmp", "javacpp-cache", "/var/cache/javacpp", "data", "/app/data"));
            Map<String, Map<String, Object>> volumes = byName(pod.get("volumes"));
            volumes.remove("api-keys"); // a read-only Secret, see apiKeysComeFromASecretAndAnonymousAccessIsOff
            assertThat(volumes.keySet()).containsExactlyInAnyOrder("tmp", "javacpp-cache", "data");
            volumes.values().forEach(v -> assertThat(v).containsKey("emptyDir"));
        }
    }

    @Test
    void terminationOutlastsThePreStopSleepAndTheShutdownGrace() {
        for (Manifests m : List.of(defaults, production)) {
            Map<String, Object> pod = asMap(at(m.one("Deployment"), "spec.template.spec"));
            int grace = (Integer) pod.get("terminationGracePeriodSeconds");
            List<?> preStop = (List<?>) at(container(m), "lifecycle.preStop.exec.command");
            assertThat(preStop.get(0)).isEqualTo("sleep");
            int sleep = Integer.parseInt((String) preStop.get(1));
            String shutdownGrace = (String) asMap(m.one("ConfigMap").get("data")).get("NTKLAB_SHUTDOWNGRACE");
            assertThat(shutdownGrace).endsWith("s");
            assertThat(grace).isGreaterThan(sleep + Integer.parseInt(shutdownGrace.replace("s", "")));
        }
        assertThatThrownBy(() -> template(t -> t.set("terminationGracePeriodSeconds", 25)))
                .hasMessageContaining("terminationGracePeriodSeconds (25) must exceed");
    }

    @Test
    void autoscalerBudgetAndServiceMonitorOnlyWhenEnabled() {
        assertThat(defaults.kinds()).doesNotContain("HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor");

        Map<String, Object> hpa = production.one("HorizontalPodAutoscaler");
        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(at(hpa, "spec.minReplicas")).isEqualTo(3);
        assertThat(at(hpa, "spec.scaleTargetRef.name")).isEqualTo("ntklab");
        List<?> metrics = (List<?>) at(hpa, "spec.metrics");
        assertThat(at(asMap(metrics.get(0)), "resource.name")).isEqualTo("cpu");
        assertThat(at(asMap(metrics.get(1)), "external.metric.name")).isEqualTo("ntklab_jobs_queued");

        assertThat(at(production.one("PodDisruptionBudget"), "spec.maxUnavailable")).isEqualTo(1);

        Map<String, Object> monitor = production.one("ServiceMonitor");
        assertThat(monitor.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> endpoint = asMap(((List<?>) at(monitor, "spec.endpoints")).get(0));
        assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");
        assertThat(at(monitor, "spec.selector.matchLabels")).isEqualTo(at(production.one("Service"), "spec.selector"));
    }

    @Test
    void logsAreStructuredJsonUnlessTextIsAskedFor() {
        for (Manifests m : List.of(defaults, production)) {
            assertThat(asMap(m.one("ConfigMap").get("data"))).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        }
        Manifests logstash = template(t -> t.set("logging.format", "logstash"));
        assertThat(asMap(logstash.one("ConfigMap").get("data"))).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "logstash");
        Manifests text = template(t -> t.set("logging.format", "text"));
        assertThat(asMap(text.one("ConfigMap").get("data"))).doesNotContainKey("LOGGING_STRUCTURED_FORMAT_CONSOLE");
    }

    @Test
    void theDatabaseCapacityIsPassedOnlyWhereSet() {
        assertThat(asMap(defaults.one("ConfigMap").get("data"))).doesNotContainKey("NTKLAB_DATABASECAPACITY");
        Manifests capacity = template(t -> t.set("ntklab.databaseCapacity", "100GB"));
        assertThat(asMap(capacity.one("ConfigMap").get("data"))).containsEntry("NTKLAB_DATABASECAPACITY", "100GB");
    }

    @Test
    void theActiveJobQuotaIsPassedOnAndValidated() {
        assertThat(asMap(defaults.one("ConfigMap").get("data")))
                .containsEntry("NTKLAB_SECURITY_MAXACTIVEJOBS_SUBMITTER", "100")
                .containsEntry("NTKLAB_SECURITY_MAXACTIVEJOBS_ADMIN", "0");
        Manifests quota = template(t -> t.set("security.maxActiveJobs.submitter", 7));
        assertThat(asMap(quota.one("ConfigMap").get("data"))).containsEntry("NTKLAB_SECURITY_MAXACTIVEJOBS_SUBMITTER", "7");
        assertThatThrownBy(() -> template(t -> t.set("security.maxActiveJobs.submitter", -1)))
                .hasMessageContaining("maxActiveJobs");
    }

    @Test
    void apiKeysComeFromASecretAndAnonymousAccessIsOff() {
        for (Manifests m : List.of(defaults, production)) {
            Map<String, Object> config = asMap(m.one("ConfigMap").get("data"));
            assertThat(config).containsEntry("NTKLAB_SECURITY_ANONYMOUS", "off")
                    .containsEntry("NTKLAB_SECURITY_RATELIMIT_SUBMITTER_CAPACITY", "30")
                    .containsEntry("NTKLAB_SECURITY_RATELIMIT_SUBMITTER_PERIOD", "1m");
        }
        // defaults: no key configured, nothing mounted (the service then refuses all but health, and says so)
        assertThat(env(defaults)).doesNotContainKey("SPRING_CONFIG_IMPORT");
        assertThat(byName(at(container(defaults), "volumeMounts"))).doesNotContainKey("api-keys");

        // production: an existing Secret, mounted read-only and imported
        assertThat(at(asMap(env(production).get("SPRING_CONFIG_IMPORT")), "value"))
                .isEqualTo("optional:file:/etc/ntklab/security/keys.yaml");
        Map<String, Object> mount = byName(at(container(production), "volumeMounts")).get("api-keys");
        assertThat(mount).containsEntry("mountPath", "/etc/ntklab/security").containsEntry("readOnly", true);
        Map<String, Object> volume = byName(at(production.one("Deployment"), "spec.template.spec.volumes")).get("api-keys");
        assertThat(at(volume, "secret.secretName")).isEqualTo("ntklab-api-keys");
        assertThat(production.kinds()).doesNotContain("Secret");
        Map<String, Object> endpoint = asMap(((List<?>) at(production.one("ServiceMonitor"), "spec.endpoints")).get(0));
        assertThat(at(endpoint, "authorization")).isEqualTo(Map.of("type", "Bearer",
                "credentials", Map.of("name", "ntklab-metrics-key", "key", "key")));

        // inline keys: the chart renders their hashes into its own Secret, as Spring YAML
        String hash = "sha256:" + "ab".repeat(32);
        Manifests inline = template(t -> t.set("security.keys[0].name", "alice").set("security.keys[0].role", "submitter")
                .set("security.keys[0].hash", hash));
        Map<String, Object> secret = inline.one("Secret");
        assertThat(at(secret, "metadata.name")).isEqualTo("ntklab-api-keys");
        Map<String, Object> keysYaml = asMap(new Yaml().load((String) asMap(at(secret, "stringData")).get("keys.yaml")));
        assertThat(at(keysYaml, "ntklab.security.keys")).isEqualTo(
                List.of(Map.of("name", "alice", "role", "submitter", "hash", hash)));
        assertThat(at(byName(at(inline.one("Deployment"), "spec.template.spec.volumes")).get("api-keys"),
                "secret.secretName")).isEqualTo("ntklab-api-keys");
    }

    @Test
    void refusesPlainKeysUnknownRolesAndAnUnauthenticatedScrape() {
        assertThatThrownBy(() -> template(t -> t.set("security.keys[0].name", "alice")
                .set("security.keys[0].role", "submitter").set("security.keys[0].hash", "my-secret-key")))
                .hasMessageContaining("hash");
        assertThatThrownBy(() -> template(t -> t.set("security.anonymous", "everyone")))
                .hasMessageContaining("anonymous");
        assertThatThrownBy(() -> template(t -> t.set("serviceMonitor.enabled", true)))
                .hasMessageContaining("serviceMonitor.authorization.secretName");
        assertThat(template(t -> t.set("serviceMonitor.enabled", true).set("security.anonymous", "reader"))
                .kinds()).contains("ServiceMonitor");
    }

    @Test
    void schemaRejectsAReplicaCountThatIsNotANumber() {
        assertThatThrownBy(() -> template(t -> t.set("replicaCount", "three"))).hasMessageContaining("replicaCount");
    }

    @Test
    void refusesWorkersWhoseMemoryBudgetsExceedTheOffHeapLimit() {
        // Defaults: one worker, 4Gi x 60 % = 2.4 GiB off-heap; 3GB does not fit.
        assertThatThrownBy(() -> template(t -> t.set("ntklab.memoryBudget", "3GB")))
                .hasMessageContaining("exceed the off-heap limit");
        assertThatThrownBy(() -> template(t -> t.set("ntklab.workers", 2)))
                .hasMessageContaining("exceeds the 2 core(s)");
    }

    @Test
    void refusesSeveralReplicasWithoutASharedDatabase() {
        assertThatThrownBy(() -> template(t -> t.set("autoscaling.enabled", true)))
                .hasMessageContaining("needs database.existingSecret");
        assertThat(at(template(t -> t.set("replicaCount", 3)).one("Deployment"), "spec.replicas")).isEqualTo(1);
    }

    // --- rendering and YAML navigation

    private static Manifests template(UnaryOperator<TemplateCommand> options) {
        String yaml = options.apply(new Helm(CHART).template().withName(RELEASE).withNamespace("ntklab")).call();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (doc != null) {
                docs.add(asMap(doc));
            }
        }
        return new Manifests(docs);
    }

    private record Manifests(List<Map<String, Object>> documents) {

        List<String> kinds() {
            return documents.stream().map(d -> (String) d.get("kind")).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
            assertThat(found).as(kind).hasSize(1);
            return found.get(0);
        }
    }

    private static Map<String, Object> container(Manifests m) {
        List<?> containers = (List<?>) at(m.one("Deployment"), "spec.template.spec.containers");
        assertThat(containers).hasSize(1);
        return asMap(containers.get(0));
    }

    /** The container's env entries by name (each the whole entry: name and value or valueFrom). */
    private static Map<String, Object> env(Manifests m) {
        return new LinkedHashMap<>(byName(at(container(m), "env")));
    }

    private static Map<String, Map<String, Object>> byName(Object list) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object item : (List<?>) list) {
            Map<String, Object> entry = asMap(item);
            assertThat(out.put((String) entry.get("name"), entry)).as("duplicate %s", entry.get("name")).isNull();
        }
        return out;
    }

    /** The value at a dotted path of map keys, or null where a key is missing. */
    private static Object at(Map<String, Object> root, String path) {
        Object node = root;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    // --- linting

    private static void assertLintPasses(Path chart) {
        LintResult result = new Helm(chart).lint().strict().quiet().call();
        assertThat(result.getMessages()).as("helm lint --strict messages").isEmpty();
        assertThat(result.isFailed()).isFalse();
    }

    private static Map<String, Object> load(Path yaml) throws IOException {
        return asMap(new Yaml().load(Files.readString(yaml)));
    }

    /** {@code overrides} merged into {@code base}, maps recursively, everything else replaced. */
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        overrides.forEach((key, value) -> out.merge(key, value, (b, o) ->
                b instanceof Map<?, ?> && o instanceof Map<?, ?> ? merge(asMap(b), asMap(o)) : o));
        return out;
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
