package org.ntklab.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ntklab.security.KeyHash;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * X-Request-Id: taken or generated, echoed, in the log lines of the request (the job it queues
 * included) and in every problem detail, whoever writes it: the security filters (401, 403), the
 * rate limit (429), the body-size filter (413), the API's own mapper (400, 404) and Spring's
 * built-in ones (405).
 */
@SpringBootTest(properties = {"ntklab.security.anonymous=off", "ntklab.workers=1", "ntklab.max-body-size=4KB",
        "logging.level.org.ntklab.jobs=INFO"})
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class RequestIdTest {

    static final String READER = "reader-0123456789-0123456789-0123456789";
    static final String ALICE = "alice-0123456789-0123456789-0123456789";
    static final String BURST = "burst-0123456789-0123456789-0123456789";
    static final String INVALID = "{\"network\": {\"hiddenWidths\": [-1]}}";

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        String[][] keys = {{"reader", "reader", READER}, {"alice", "submitter", ALICE}, {"burst", "submitter", BURST}};
        for (int i = 0; i < keys.length; i++) {
            String[] k = keys[i];
            registry.add("ntklab.security.keys[" + i + "].name", () -> k[0]);
            registry.add("ntklab.security.keys[" + i + "].role", () -> k[1]);
            registry.add("ntklab.security.keys[" + i + "].hash", () -> KeyHash.of(k[2]).toString());
        }
        registry.add("ntklab.security.keys[2].rate.capacity", () -> "1");
        registry.add("ntklab.security.keys[2].rate.period", () -> "1h");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    static MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder request, String key) {
        return request.header("Authorization", "Bearer " + key);
    }

    @Test
    void aSentIdIsEchoedAndAMissingOrUnusableOneIsGenerated() throws Exception {
        mvc.perform(as(get("/api/v1/experiments"), READER).header(RequestId.HEADER, "client-7f3a.b_c:1"))
                .andExpect(status().isOk()).andExpect(header().string(RequestId.HEADER, "client-7f3a.b_c:1"));
        String generated = mvc.perform(as(get("/api/v1/experiments"), READER)).andExpect(status().isOk())
                .andReturn().getResponse().getHeader(RequestId.HEADER);
        assertThat(UUID.fromString(generated)).isNotNull();
        for (String unusable : new String[] {"", "two words", "x\r\nforged: header", "a".repeat(RequestId.MAX_LENGTH + 1),
                "ünïcode"}) {
            String answered = mvc.perform(as(get("/api/v1/experiments"), READER).header(RequestId.HEADER, unusable))
                    .andReturn().getResponse().getHeader(RequestId.HEADER);
            assertThat(UUID.fromString(answered)).as(unusable).isNotNull();
        }
        assertThat(RequestId.usable("a".repeat(RequestId.MAX_LENGTH))).isTrue();
    }

    @Test
    void everyProblemDetailCarriesTheRequestId() throws Exception {
        problem(get("/api/v1/experiments"), "r-401", 401, "/problems/unauthorized"); // no key: AuthProblems
        problem(as(get("/api/v1/experiments"), "not-a-key-0123456789-0123456789-01"), "r-401b", 401,
                "/problems/unauthorized");
        problem(as(post("/api/v1/experiments"), READER).contentType(MediaType.APPLICATION_JSON).content(INVALID),
                "r-403", 403, "/problems/forbidden"); // a reader may not submit
        problem(as(post("/api/v1/experiments"), ALICE).contentType(MediaType.APPLICATION_JSON).content(INVALID),
                "r-400", 400, "/problems/invalid-request"); // ApiErrors
        problem(as(get("/api/v1/experiments/" + UUID.randomUUID()), READER), "r-404", 404, "/problems/not-found");
        problem(as(put("/api/v1/experiments"), ALICE), "r-admin", 403, "/problems/forbidden");
        problem(as(post("/api/v1/experiments"), ALICE).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + "x".repeat(5000) + "\"}"), "r-413", 413, "/problems/body-too-large");
        problem(as(post("/api/v1/experiments"), ALICE).contentType(MediaType.TEXT_PLAIN).content("x"), "r-415", 415,
                null); // Spring's own handler, through ApiErrors' base class
        problem(as(post("/api/v1/experiments"), BURST).contentType(MediaType.APPLICATION_JSON).content(INVALID),
                "r-burst-1", 400, "/problems/invalid-request");
        problem(as(post("/api/v1/experiments"), BURST).contentType(MediaType.APPLICATION_JSON).content(INVALID),
                "r-429", 429, "/problems/rate-limited"); // SubmissionRateLimit
    }

    private void problem(MockHttpServletRequestBuilder request, String id, int status, String type) throws Exception {
        ResultActions r = mvc.perform(request.header(RequestId.HEADER, id)).andExpect(status().is(status))
                .andExpect(header().string(RequestId.HEADER, id))
                .andExpect(header().string("Content-Type", MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.requestId").value(id));
        if (type != null) {
            r.andExpect(jsonPath("$.type").value(type));
        }
    }

    @Test
    void theRequestIdIsInTheLogLinesOfTheRequestAndOfTheJobItQueues(CapturedOutput output) throws Exception {
        String spec = """
                {"name": "traced", "network": {"hiddenWidths": [4]}, "data": {"n": 4, "inputDim": 2},
                 "training": {"steps": 2}, "measurements": {"hessianProbes": []}}""";
        JsonNode job = json.readTree(mvc.perform(as(post("/api/v1/experiments"), ALICE)
                        .header(RequestId.HEADER, "trace-me-42").contentType(MediaType.APPLICATION_JSON).content(spec))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        String id = job.get("id").asString();
        assertThat(output.getAll().lines().filter(l -> l.contains("job " + id + " queued by alice")))
                .singleElement().asString().contains("[trace-me-42|" + id + "]");
    }
}
