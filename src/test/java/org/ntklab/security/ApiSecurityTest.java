package org.ntklab.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The access rules with anonymous access off, as the Helm chart deploys: which requests need
 * which role, ownership of jobs, sweeps and datasets, the problem details and challenges of 401
 * and 403 and their metrics, and the per-key rate limit on submissions.
 */
@SpringBootTest(properties = {"ntklab.security.anonymous=off", "ntklab.workers=1", "ntklab.poll=100ms"})
@AutoConfigureMockMvc
class ApiSecurityTest {

    static final String READER = "reader-0123456789-0123456789-0123456789";
    static final String ALICE = "alice-0123456789-0123456789-0123456789";
    static final String BOB = "bob-0123456789-0123456789-0123456789-xx";
    static final String ADMIN = "admin-0123456789-0123456789-0123456789";
    static final String BURST = "burst-0123456789-0123456789-0123456789";

    /** A spec that fails validation: it reaches the controller (and the rate limit) but starts no job. */
    static final String INVALID = "{\"network\": {\"hiddenWidths\": [-1]}}";
    /** Long enough to be cancelled while queued or running. */
    static final String LONG = """
            {"name": "long", "network": {"hiddenWidths": [16]}, "data": {"n": 4, "inputDim": 2},
             "training": {"steps": 50000}, "measurements": {"kernelEvery": 1000, "hessianProbes": []}}
            """;

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        String[][] keys = {{"reader", "reader", READER}, {"alice", "submitter", ALICE}, {"bob", "submitter", BOB},
                {"root", "admin", ADMIN}, {"burst", "submitter", BURST}};
        for (int i = 0; i < keys.length; i++) {
            String[] k = keys[i];
            registry.add("ntklab.security.keys[" + i + "].name", () -> k[0]);
            registry.add("ntklab.security.keys[" + i + "].role", () -> k[1]);
            registry.add("ntklab.security.keys[" + i + "].hash", () -> KeyHash.of(k[2]).toString());
        }
        registry.add("ntklab.security.keys[4].rate.capacity", () -> "2");
        registry.add("ntklab.security.keys[4].rate.period", () -> "1h");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry metrics;

    @Autowired
    JsonMapper json;

    static MockHttpServletRequestBuilder bearer(MockHttpServletRequestBuilder request, String key) {
        return request.header("Authorization", "Bearer " + key);
    }

    static MockHttpServletRequestBuilder submission(String path, String key, String body) {
        return bearer(post(path), key).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    double failures(String reason) {
        Counter c = metrics.find("ntklab.auth.failures").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    JsonNode body(ResultActions actions) throws Exception {
        MvcResult r = actions.andReturn();
        return json.readTree(r.getResponse().getContentAsString());
    }

    @Test
    void healthProbesAndStaticPagesNeedNoKey() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk());
        mvc.perform(get("/ui/index.html")).andExpect(status().is(not(401)));
        mvc.perform(get("/webjars/x.js")).andExpect(status().is(not(401)));
    }

    @Test
    void aMissingKeyIsA401ProblemWithAChallengeAndIsCounted() throws Exception {
        double before = failures("missing");
        for (String path : new String[] {"/api/v1/experiments", "/api/v1/sweeps", "/api/v1/datasets",
                "/actuator/prometheus", "/actuator/metrics", "/api/v1/presets"}) {
            mvc.perform(get(path)).andExpect(status().isUnauthorized())
                    .andExpect(header().string("Content-Type", MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                    .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"ntklab\""))
                    .andExpect(jsonPath("$.type").value("/problems/unauthorized"))
                    .andExpect(jsonPath("$.status").value(401))
                    .andExpect(jsonPath("$.title").value("Authentication required"))
                    .andExpect(jsonPath("$.detail").value(containsString("X-API-Key")))
                    .andExpect(jsonPath("$.instance").value(path));
        }
        mvc.perform(post("/api/v1/experiments").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
        assertThat(failures("missing") - before).isEqualTo(7);
    }

    @Test
    void aWrongOrMalformedKeyIsA401InvalidToken() throws Exception {
        double before = failures("invalid");
        String[][] headers = {{"Authorization", "Bearer " + ALICE.replace('a', 'b')}, {"X-API-Key", "short"},
                {"Authorization", "Basic YWxpY2U6c2VjcmV0"}, {"Authorization", "Bearer "}, {"X-API-Key", ""}};
        for (String[] h : headers) {
            mvc.perform(get("/api/v1/experiments").header(h[0], h[1])).andExpect(status().isUnauthorized())
                    .andExpect(header().string("WWW-Authenticate", containsString("error=\"invalid_token\"")))
                    .andExpect(jsonPath("$.type").value("/problems/unauthorized"))
                    .andExpect(jsonPath("$.title").value("Invalid API key"));
        }
        mvc.perform(get("/api/v1/experiments").header("Authorization", "Bearer " + ALICE).header("X-API-Key", BOB))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(containsString("different keys")));
        assertThat(failures("invalid") - before).isEqualTo(headers.length + 1);
    }

    @Test
    void aReaderMayReadEverythingButNotSubmit() throws Exception {
        mvc.perform(bearer(get("/api/v1/experiments"), READER)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/sweeps").header("X-API-Key", READER)).andExpect(status().isOk());
        mvc.perform(get("/actuator/prometheus").header("X-API-Key", READER)).andExpect(status().isOk())
                .andExpect(content().string(containsString("ntklab_auth_failures_total")));
        double before = failures("forbidden");
        mvc.perform(submission("/api/v1/experiments", READER, "{}")).andExpect(status().isForbidden())
                .andExpect(header().string("Content-Type", MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(jsonPath("$.type").value("/problems/forbidden"))
                .andExpect(jsonPath("$.status").value(403))
                .andExpect(jsonPath("$.detail").value("key 'reader' (reader) may not POST /api/v1/experiments"));
        mvc.perform(submission("/api/v1/sweeps", READER, "{}")).andExpect(status().isForbidden());
        mvc.perform(bearer(delete("/api/v1/datasets/" + UUID.randomUUID()), READER)).andExpect(status().isForbidden());
        assertThat(failures("forbidden") - before).isEqualTo(3);
    }

    @Test
    void aSubmitterCancelsItsOwnExperimentsAndAnAdminAnyone() throws Exception {
        JsonNode mine = body(mvc.perform(submission("/api/v1/experiments", ALICE, LONG)).andExpect(status().isAccepted()));
        assertThat(mine.get("submittedBy").asString()).isEqualTo("alice");
        String id = mine.get("id").asString();
        mvc.perform(bearer(get("/api/v1/experiments/" + id), READER)).andExpect(jsonPath("$.submittedBy").value("alice"));

        double before = failures("forbidden");
        mvc.perform(bearer(post("/api/v1/experiments/" + id + "/cancel"), BOB)).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("/problems/forbidden"))
                .andExpect(jsonPath("$.detail").value(containsString("submitted by 'alice'")));
        assertThat(failures("forbidden") - before).isEqualTo(1);
        mvc.perform(bearer(post("/api/v1/experiments/" + id + "/cancel"), ALICE)).andExpect(status().is2xxSuccessful());

        JsonNode batch = body(mvc.perform(submission("/api/v1/experiments/batch", BOB, "[" + LONG + "]"))
                .andExpect(status().isAccepted()));
        String bobs = batch.get("ids").get(0).asString();
        assertThat(batch.get("experiments").get(0).get("submittedBy").asString()).isEqualTo("bob");
        mvc.perform(bearer(post("/api/v1/experiments/" + bobs + "/cancel"), ADMIN)).andExpect(status().is2xxSuccessful());
    }

    @Test
    void sweepsAndDatasetsBelongToTheirSubmitter() throws Exception {
        String sweep = """
                {"name": "owned", "base": %s, "grid": {"seed": [1, 2]}}""".formatted(LONG);
        JsonNode s = body(mvc.perform(submission("/api/v1/sweeps", ALICE, sweep)).andExpect(status().isAccepted()));
        assertThat(s.get("submittedBy").asString()).isEqualTo("alice");
        String id = s.get("id").asString();
        mvc.perform(bearer(get("/api/v1/experiments/" + s.get("children").get(0).asString()), READER))
                .andExpect(jsonPath("$.submittedBy").value("alice"));
        mvc.perform(bearer(get("/api/v1/sweeps"), READER)).andExpect(jsonPath("$.items[0].submittedBy").value("alice"));
        mvc.perform(bearer(post("/api/v1/sweeps/" + id + "/cancel"), BOB)).andExpect(status().isForbidden());
        mvc.perform(bearer(post("/api/v1/sweeps/" + id + "/cancel"), ALICE)).andExpect(status().isAccepted());

        String csv = "x1,x2,y\n0.5,1.5,1\n-1,2,0\n" + System.nanoTime() + ",3,1\n";
        JsonNode d = body(mvc.perform(bearer(post("/api/v1/datasets?targets=y"), BOB).contentType("text/csv").content(csv))
                .andExpect(status().isCreated()));
        assertThat(d.get("submittedBy").asString()).isEqualTo("bob");
        String dataset = "/api/v1/datasets/" + d.get("id").asString();
        mvc.perform(bearer(get(dataset), READER)).andExpect(jsonPath("$.submittedBy").value("bob"));
        mvc.perform(bearer(delete(dataset), ALICE)).andExpect(status().isForbidden());
        mvc.perform(bearer(delete(dataset), BOB)).andExpect(status().isNoContent());
    }

    @Test
    void submissionsOverAKeysRateAre429WithRetryAfter() throws Exception {
        for (int i = 0; i < 2; i++) {
            mvc.perform(submission("/api/v1/experiments", BURST, INVALID)).andExpect(status().isBadRequest())
                    .andExpect(header().string("RateLimit-Remaining", Integer.toString(1 - i)));
        }
        mvc.perform(submission("/api/v1/sweeps", BURST, "{}")).andExpect(status().isTooManyRequests())
                .andExpect(header().string("Content-Type", MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(header().string("Retry-After", org.hamcrest.Matchers.matchesPattern("[0-9]+")))
                .andExpect(jsonPath("$.type").value("/problems/rate-limited"))
                .andExpect(jsonPath("$.title").value("Rate limit exceeded"))
                .andExpect(jsonPath("$.capacity").value(2))
                .andExpect(jsonPath("$.retryAfterSeconds").value(org.hamcrest.Matchers.greaterThan(1000)));
        // reads are not limited, nor are other keys
        mvc.perform(bearer(get("/api/v1/experiments"), BURST)).andExpect(status().isOk());
        mvc.perform(submission("/api/v1/experiments", ALICE, INVALID)).andExpect(status().isBadRequest());
        assertThat(metrics.find("ntklab.rate.limited").tag("key", "burst").counter().count()).isEqualTo(1);
    }

    @Test
    void listingsFilterBySubmitter() throws Exception {
        String experiment = """
                {"name": "mine", "network": {"hiddenWidths": [4]}, "data": {"n": 4, "inputDim": 2},
                 "training": {"steps": 1}, "measurements": {"hessianProbes": []}}""";
        String sweep = """
                {"name": "mine", "base": %s, "grid": {"seed": [1]}}""".formatted(experiment);
        for (String key : new String[] {ALICE, BOB}) {
            mvc.perform(submission("/api/v1/experiments", key, experiment)).andExpect(status().isAccepted());
            mvc.perform(submission("/api/v1/sweeps", key, sweep)).andExpect(status().isAccepted());
            String csv = "x1,y\n0.5,1\n" + System.nanoTime() + ",0\n";
            mvc.perform(bearer(post("/api/v1/datasets?targets=y"), key).contentType("text/csv").content(csv))
                    .andExpect(status().isCreated());
        }
        for (String list : new String[] {"/api/v1/experiments", "/api/v1/sweeps", "/api/v1/datasets"}) {
            JsonNode all = body(mvc.perform(bearer(get(list + "?size=200"), READER)).andExpect(status().isOk()));
            for (String who : new String[] {"alice", "bob", "nobody"}) {
                JsonNode mine = body(mvc.perform(bearer(get(list + "?size=200&submittedBy=" + who), READER))
                        .andExpect(status().isOk()));
                long expected = 0;
                for (JsonNode item : all.get("items")) {
                    expected += who.equals(item.path("submittedBy").asString(null)) ? 1 : 0;
                }
                assertThat(mine.get("total").asLong()).as(list + " by " + who).isEqualTo(expected)
                        .isEqualTo(mine.get("items").size());
                assertThat(mine.get("items")).as(list + " by " + who)
                        .allSatisfy(item -> assertThat(item.get("submittedBy").asString()).isEqualTo(who));
                if (!who.equals("nobody")) {
                    assertThat(expected).as(list + " by " + who).isPositive();
                }
            }
        }
    }
}
