package org.ntklab.api;

import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ntklab.security.SecurityConfiguration;
import org.ntklab.jobs.ExperimentService;
import org.ntklab.jobs.Job;
import org.ntklab.jobs.JobStatus;
import org.ntklab.jobs.Page;
import org.ntklab.jobs.WorkerPool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The queue summary: counts by status over all instances, this instance's workers, the newest failures. */
@WebMvcTest(controllers = QueueController.class)
@Import({ApiErrors.class, SecurityConfiguration.class, ExperimentControllerTest.Properties.class,
        org.ntklab.support.MockMvcContract.class})
class QueueControllerTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ExperimentService experiments;

    @MockitoBean
    WorkerPool pool;

    private static Job failed(String name, String error) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Job(UUID.randomUUID(), name, JobStatus.FAILED, "{}", "h", null, null, Map.of(), t, t, t, 3, 10, 1,
                "i", null, false, error, null, null, null, null, null);
    }

    private void total(JobStatus status, long total, List<Job> items) {
        when(experiments.list(argThat(f -> f != null && f.status() == status), eq(0), anyInt()))
                .thenReturn(new Page<>(items, 0, 1, total));
    }

    @Test
    void countsWorkersAndTheNewestFailures() throws Exception {
        when(experiments.queued()).thenReturn(7L);
        total(JobStatus.RUNNING, 3, List.of());
        Job oom = failed("wide", "out of memory");
        total(JobStatus.FAILED, 12, List.of(oom));
        when(pool.workerCount()).thenReturn(2);
        when(pool.instanceId()).thenReturn("pod-a");
        when(pool.running()).thenReturn(Map.of());
        mvc.perform(get("/api/v1/queue").param("failures", "2")).andExpect(status().isOk())
                .andExpect(jsonPath("$.queued").value(7))
                .andExpect(jsonPath("$.running").value(3))
                .andExpect(jsonPath("$.failed").value(12))
                .andExpect(jsonPath("$.workers").value(2))
                .andExpect(jsonPath("$.busyWorkers").value(0))
                .andExpect(jsonPath("$.instance").value("pod-a"))
                .andExpect(jsonPath("$.recentFailures.length()").value(1))
                .andExpect(jsonPath("$.recentFailures[0].id").value(oom.id().toString()))
                .andExpect(jsonPath("$.recentFailures[0].error").value("out of memory"));
        verify(experiments).list(argThat(f -> f.status() == JobStatus.FAILED), eq(0), eq(2));
    }

    @Test
    void noFailuresAreLookedUpWhenNoneAreAskedFor() throws Exception {
        total(JobStatus.RUNNING, 0, List.of());
        total(JobStatus.FAILED, 4, List.of());
        when(pool.running()).thenReturn(Map.of());
        mvc.perform(get("/api/v1/queue").param("failures", "0")).andExpect(status().isOk())
                .andExpect(jsonPath("$.failed").value(4))
                .andExpect(jsonPath("$.recentFailures.length()").value(0));
        verify(experiments, never()).list(argThat(f -> f.status() == JobStatus.FAILED), eq(0), eq(0));
    }

    @Test
    void tooManyFailuresIsA400Problem() throws Exception {
        mvc.perform(get("/api/v1/queue").param("failures", "51")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("failures"));
    }
}
