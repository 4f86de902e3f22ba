package org.ntklab.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Anonymous access turned on as a reader: requests without a key may read, not submit (401: a key
 * is what they lack), and a wrong key is refused rather than taken as anonymous.
 */
@SpringBootTest(properties = "ntklab.security.anonymous=reader")
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class AnonymousAccessTest {

    static final String ALICE = "alice-0123456789-0123456789-0123456789";

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("ntklab.security.keys[0].name", () -> "alice");
        registry.add("ntklab.security.keys[0].role", () -> "submitter");
        registry.add("ntklab.security.keys[0].hash", () -> KeyHash.of(ALICE).toString());
    }

    @Autowired
    MockMvc mvc;

    @Test
    void anonymousReadersReadButMustShowAKeyToSubmit() throws Exception {
        mvc.perform(get("/api/v1/experiments")).andExpect(status().isOk());
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk());
        mvc.perform(post("/api/v1/experiments").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.type").value("/problems/unauthorized"));
        mvc.perform(post("/api/v1/experiments").header("X-API-Key", ALICE).contentType(MediaType.APPLICATION_JSON)
                .content("{\"network\": {\"hiddenWidths\": [-1]}}")).andExpect(status().isBadRequest());
    }

    @Test
    void aWrongKeyIsNotTakenAsAnonymous() throws Exception {
        mvc.perform(get("/api/v1/experiments").header("X-API-Key", ALICE + "x")).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.title").value("Invalid API key"));
    }

    @Test
    void theStartUpSaysLoudlyThatAnonymousAccessIsOn(CapturedOutput output) {
        // the context may have started before this test's capture began; a restart is too slow, so
        // the WARN is checked on a fresh configuration bean
        new SecurityConfiguration().apiKeys(new SecurityProperties(SecurityProperties.Anonymous.SUBMITTER,
                java.util.List.of(), new SecurityProperties.RateLimit(true, null, null)));
        assertThat(output.getOut() + output.getErr()).contains("ANONYMOUS ACCESS IS ON").contains("'submitter'");
    }
}
