package org.ntklab.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntklab.jobs.JobLog;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The structured formats the Helm chart offers (logging.structured.format.console: Spring Boot's
 * own encoder) write one JSON object per line with the request and job ids of the MDC as fields,
 * so that a log store can select one request's or one job's lines by field.
 */
class StructuredLogsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ecs", "logstash"})
    void theIdsOfTheMdcAreFieldsOfEachJsonLine(String format) {
        LoggerContext context = new LoggerContext();
        context.putObject(Environment.class.getName(), new MockEnvironment().withProperty("spring.application.name", "ntklab"));
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        LoggingEvent event = new LoggingEvent("org.ntklab.jobs.WorkerPool", context.getLogger("org.ntklab.jobs.WorkerPool"),
                Level.INFO, "job {} succeeded after {} s", null, new Object[] {"j-1", "0.125"});
        event.setMDCPropertyMap(Map.of(RequestId.MDC_KEY, "r-1", JobLog.JOB_ID, "j-1", JobLog.SWEEP_ID, "s-1",
                JobLog.API_KEY, "alice"));
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n{");
        JsonNode json = JsonMapper.builder().build().readTree(line);
        assertThat(json.get("message").asString()).isEqualTo("job j-1 succeeded after 0.125 s");
        assertThat(json.get("requestId").asString()).isEqualTo("r-1");
        assertThat(json.get("jobId").asString()).isEqualTo("j-1");
        assertThat(json.get("sweepId").asString()).isEqualTo("s-1");
        assertThat(json.get("apiKey").asString()).isEqualTo("alice");
    }
}
