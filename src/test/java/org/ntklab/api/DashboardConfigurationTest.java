package org.ntklab.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.ntklab.security.SecurityConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The dashboard's static side: / and /ui lead to /ui/, which serves the page; the ES modules go
 * out as JavaScript (browsers refuse modules of another type); uPlot comes from its WebJar
 * without a version in the path.
 */
@WebMvcTest(controllers = PresetController.class)
@Import({ApiErrors.class, SecurityConfiguration.class, ExperimentControllerTest.Properties.class})
class DashboardConfigurationTest {

    @Autowired
    MockMvc mvc;

    @Test
    void theRootAndUiLeadToTheDashboard() throws Exception {
        mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/ui/"));
        mvc.perform(get("/ui")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/ui/"));
        mvc.perform(get("/ui/")).andExpect(forwardedUrl("/ui/index.html"));
        mvc.perform(get("/ui/index.html")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<script type=\"module\" src=\"js/main.js\">")))
                .andExpect(content().string(containsString("<main id=\"main\"")));
    }

    @Test
    void modulesAreServedAsJavaScript() throws Exception {
        for (String module : new String[] {"main", "api", "dom", "charts", "jobs", "experiment", "sweep", "submit", "problem"}) {
            mvc.perform(get("/ui/js/" + module + ".js")).andExpect(status().isOk())
                    .andExpect(header().string("Content-Type", startsWith("text/javascript")));
        }
    }

    @Test
    void uPlotComesFromItsWebJarWithoutAVersion() throws Exception {
        mvc.perform(get("/webjars/uplot/dist/uPlot.esm.js")).andExpect(status().isOk())
                .andExpect(content().string(containsString("export")));
        mvc.perform(get("/webjars/uplot/dist/uPlot.min.css")).andExpect(status().isOk());
    }
}
