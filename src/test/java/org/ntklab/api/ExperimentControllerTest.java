package org.ntklab.api;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.ntklab.config.NtklabProperties;
import org.ntklab.security.SecurityConfiguration;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.JobRepository;
import org.ntklab.jobs.SubmissionException;
import org.ntklab.jobs.spec.Violation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The controller slice: status codes, headers and problem details, with the service mocked. */
@WebMvcTest(controllers = ExperimentController.class, properties = "ntklab.max-body-size=2KB")
@Import({ApiErrors.class, BodySizeLimit.class, SecurityConfiguration.class, ExperimentControllerTest.Properties.class,
        org.ntklab.support.MockMvcContract.class})
class ExperimentControllerTest {

    /** The settings, and what the security configuration needs (anonymous access as application.yml sets it). */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NtklabProperties.class)
    static class Properties {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ExperimentService service;

    @MockitoBean
    ExperimentViews views;

    @MockitoBean
    ExperimentEvents events;

    private static final String BODY = "{\"network\": {\"hiddenWidths\": [8]}}";

    private org.springframework.test.web.servlet.ResultActions submit(String body) throws Exception {
        return mvc.perform(post("/api/v1/experiments").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void violationsBecomeA400ProblemListingEachField() throws Exception {
        when(service.submit(any(), isNull(), eq("anonymous"))).thenThrow(new SubmissionException.Invalid(List.of(
                new Violation("network.hiddenWidths[0]", "must be >= 1, got 0"),
                new Violation("training.steps", "must be at most 100000, got 100001", "ntklab.limits.max-steps"))));
        submit(BODY).andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.errors[0].field").value("network.hiddenWidths[0]"))
                .andExpect(jsonPath("$.errors[1].field").value("training.steps"))
                .andExpect(jsonPath("$.errors[1].limit").value("ntklab.limits.max-steps"))
                .andExpect(jsonPath("$.errors[0].limit").doesNotExist())
                .andExpect(jsonPath("$.detail").value("2 problems; see errors"));
    }

    @Test
    void aFullQueueIsA429WithRetryAfter() throws Exception {
        when(service.submit(any(), isNull(), eq("anonymous"))).thenThrow(new SubmissionException.QueueFull(1000, 10));
        submit(BODY).andExpect(status().isTooManyRequests()).andExpect(header().string("Retry-After", "10"))
                .andExpect(jsonPath("$.capacity").value(1000));
    }

    @Test
    void anExperimentOverTheMemoryBudgetIsA422WithTheEstimate() throws Exception {
        when(service.submit(any(), isNull(), eq("anonymous"))).thenThrow(new SubmissionException.OverMemoryBudget(-1,
                10L << 30, 4L << 30, Map.of("weights", 9L << 30, "kernels", 1L << 30)));
        submit(BODY).andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.estimateBytes").value(10L << 30))
                .andExpect(jsonPath("$.budgetBytes").value(4L << 30))
                .andExpect(jsonPath("$.breakdown.weights").value(9L << 30))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("10240 MiB")));
    }

    @Test
    void aReusedIdempotencyKeyWithAnotherBodyIsA409() throws Exception {
        when(service.submit(any(), eq("k1"), eq("anonymous"))).thenThrow(new SubmissionException.IdempotencyConflict("k1"));
        mvc.perform(post("/api/v1/experiments").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k1")
                .content(BODY)).andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("/problems/idempotency-key-reused"));
    }

    @Test
    void oversizedBodiesAreRefusedWith413() throws Exception {
        String big = "{\"name\": \"" + "x".repeat(4096) + "\"}";
        submit(big).andExpect(status().isContentTooLarge()).andExpect(jsonPath("$.maxBytes").value(2048))
                .andExpect(jsonPath("$.limit").value("ntklab.max-body-size"));
    }

    @Test
    void malformedJsonAndWrongTypesNameTheField() throws Exception {
        submit("{\"name\" \"x\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.containsString("malformed JSON")));
        submit("{\"network\": {\"hiddenWidths\": \"wide\"}}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("network.hiddenWidths"));
        submit("{\"seed\": 1.5}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("seed"));
        submit("{\"training\": {\"learningRate\": \"fast\"}}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("training.learningRate"));
        submit("").andExpect(status().isBadRequest());
    }

    @Test
    void unknownIdsAndTerminalCancelsHaveProblems() throws Exception {
        UUID id = UUID.randomUUID();
        when(service.find(id)).thenReturn(Optional.empty());
        mvc.perform(get("/api/v1/experiments/" + id)).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("/problems/not-found"));
        when(service.cancel(id)).thenReturn(JobRepository.CancelOutcome.NOT_FOUND);
        mvc.perform(post("/api/v1/experiments/" + id + "/cancel")).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/experiments/xyz")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("id"));
        mvc.perform(get("/api/v1/experiments?size=1000")).andExpect(status().isBadRequest());
    }
}
