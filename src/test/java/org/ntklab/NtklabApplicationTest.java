package org.ntklab;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ntklab.config.StartupWarmup;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:application-test;DB_CLOSE_DELAY=-1")
@AutoConfigureMockMvc
class NtklabApplicationTest {

    @Autowired
    MockMvc mvc;

    @Test
    void startsAndReportsLivenessAndReadiness() throws Exception {
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void readinessWaitsForTheWarmup(@Autowired HealthEndpointGroups groups, @Autowired StartupWarmup warmup) {
        assertThat(groups.get("readiness").isMember("warmup")).isTrue();
        assertThat(groups.getPrimary().isMember("warmup")).isTrue();
        // the suite turns the warm-up off (src/test/resources/config/application.yml): UP at once
        assertThat(warmup.finished()).isDone();
        assertThat(warmup.health().getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
    }

    @Test
    void exposesQueueAndWorkerMetricsForPrometheus() throws Exception {
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk())
                .andExpect(content().string(containsString("ntklab_jobs_queued")))
                .andExpect(content().string(containsString("ntklab_jobs_running")))
                .andExpect(content().string(containsString("ntklab_workers")));
    }
}
