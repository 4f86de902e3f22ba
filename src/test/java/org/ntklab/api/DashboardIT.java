package org.ntklab.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.ntklab.support.Chromium;
import org.ntklab.support.Http;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (headless Chromium through Selenium) against the service on a
 * random port with an H2 file database in a fresh folder under target/: a reduced figure-1-left
 * preset submitted from the submit page fills in its sweep page, whose plots carry the fitted
 * slopes; an experiment's progress bar advances while it runs and the job is cancelled from the
 * jobs list; the API's problem details reach the form with their field paths; an API key is asked
 * for on 401 and then sent; labels, keyboard use and contrast. Screenshots go to target/screenshots/.
 */
@EnabledIf("org.ntklab.support.Chromium#available")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ntklab.poll=100ms", "ntklab.heartbeat=500ms", "ntklab.workers=2", "ntklab.nd4j-threads=1",
        // a real key (the service's own check), sha256 of DashboardIT.KEY; anonymous access stays as shipped
        "ntklab.security.keys[0].name=ui-test", "ntklab.security.keys[0].role=admin",
        "ntklab.security.keys[0].hash=sha256:5babadcef48902e751c8382512a44adc98defde407a17961c1e9439b2956a52a"})
class DashboardIT {

    private static final Path TARGET = Path.of("target");
    private static final Path SCREENSHOTS = TARGET.resolve("screenshots");
    /** Generous for 2 busy cores: the reduced sweep takes well under a minute there. */
    private static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
    /** WCAG 2 AA: normal text 4.5:1, large text (24px, or 18.66px bold) 3:1. */
    private static final double MIN_CONTRAST = 4.5;
    private static final double MIN_CONTRAST_LARGE = 3.0;
    /** Slopes are shown with 3 decimals. */
    private static final double SHOWN = 0.0005 + 1e-9;

    /** The configured API key (36 characters; keys under 32 never authenticate). */
    static final String KEY = "ui-test-key-0123456789abcdefghij-xyz";

    /** The key the stand-in for API-key auth wants, or null for open access. */
    static final AtomicReference<String> REQUIRED_KEY = new AtomicReference<>();
    /** The Authorization headers the API saw while a key was required. */
    static final Set<String> AUTHORIZATIONS = ConcurrentHashMap.newKeySet();

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    Http http;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        Path folder = Files.createDirectories(TARGET.resolve("dashboard-it")).toAbsolutePath();
        Path data = Files.createTempDirectory(folder, "h2-");
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + data.resolve("ntklab") + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    /**
     * Makes a key required while {@link #REQUIRED_KEY} is set (the shipped configuration lets
     * requests without a key in): 401 for /api/** without {@code Authorization: Bearer <key>}, as
     * RFC 9457 problem details. A wrong key never gets here: the service's own check answers 401
     * first.
     */
    @TestConfiguration
    static class KeyCheck {
        @Bean
        FilterRegistrationBean<OncePerRequestFilter> apiKeyStandIn() {
            FilterRegistrationBean<OncePerRequestFilter> bean = new FilterRegistrationBean<>(new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                        throws ServletException, IOException {
                    String key = REQUIRED_KEY.get();
                    String authorization = request.getHeader("Authorization");
                    if (key == null) {
                        chain.doFilter(request, response);
                        return;
                    }
                    if (authorization != null) {
                        AUTHORIZATIONS.add(authorization);
                    }
                    if (("Bearer " + key).equals(authorization)) {
                        chain.doFilter(request, response);
                        return;
                    }
                    int status = authorization == null ? 401 : 403;
                    response.setStatus(status);
                    response.setContentType("application/problem+json");
                    response.getWriter().write("{\"type\":\"/problems/" + (status == 401 ? "unauthorized" : "forbidden")
                            + "\",\"title\":\"" + (status == 401 ? "Unauthorized" : "Forbidden") + "\",\"status\":" + status
                            + ",\"detail\":\"" + (status == 401 ? "an API key is required" : "this API key is not accepted")
                            + "\"}");
                }
            });
            bean.addUrlPatterns("/api/*");
            return bean;
        }
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start(TARGET.resolve("dashboard-it"), 1280, 1000);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void client() {
        http = new Http("http://localhost:" + port);
        REQUIRED_KEY.set(null);
    }

    @AfterEach
    void noScriptErrors() {
        REQUIRED_KEY.set(null);
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            // failed requests (4xx problems the tests provoke) are logged too; script errors are not expected
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()
                    && !e.getMessage().contains("Failed to load resource")) {
                errors.add(e.getMessage());
            }
        }
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    @Test
    void aReducedPresetFromTheSubmitPageFillsInItsSweepPageWithFittedSlopes() throws IOException {
        open("#/submit");
        waitFor(() -> text(By.tagName("h1")).equals("Submit"));
        click(By.id("preset-figure-1-left"));
        click(By.id("scale-quick"));
        assertThat(text(By.id("preset-description"))).contains("linear vs swish vs softmax");
        type(By.id("preset-steps"), "10");
        type(By.id("preset-widths"), "100, 316, 1000");
        type(By.id("preset-seeds"), "1");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("preset-hessian-at"))).selectByValue("init");
        type(By.id("preset-name"), "ui-figure-1-left");
        click(By.id("preset-submit"));

        waitFor(() -> browser.getCurrentUrl().contains("#/sweeps/"));
        String id = browser.getCurrentUrl().replaceAll(".*#/sweeps/", "");
        waitFor(() -> text(By.tagName("h1")).equals("ui-figure-1-left"));

        // the progress bar (experiments done / all) advances as the children finish
        By bar = By.id("progress-" + id);
        List<Double> seen = new ArrayList<>();
        new WebDriverWait(browser, SWEEP_TIMEOUT, Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            double value = Double.parseDouble(d.findElement(bar).getDomProperty("value"));
            if (seen.isEmpty() || seen.get(seen.size() - 1) != value) {
                seen.add(value);
            }
            return text(By.cssSelector("#sweep-states + .legend-list [data-state=SUCCEEDED] strong")).equals("9");
        });
        assertThat(seen.get(0)).as("progress seen: %s", seen).isLessThan(1.0);
        assertThat(seen).as("progress only grows").isSorted();
        waitFor(() -> Double.parseDouble(browser.findElement(bar).getDomProperty("value")) == 1.0);
        waitFor(() -> browser.findElement(By.cssSelector("#progress-title + .inline .badge")).getText().equals("SUCCEEDED"));

        // the fitted slopes shown are the API's, and the linear output's ||H(w0)|| falls like m^(-1/2)
        JsonNode sweep = http.get("/api/v1/sweeps/" + id).json();
        waitFor(() -> browser.findElements(By.cssSelector("#fits tbody tr")).size() == 3);
        for (JsonNode fit : sweep.get("fits")) {
            String output = fit.get("group").get("network.outputMap").asString();
            WebElement row = browser.findElement(By.xpath("//table[@id='fits']//tr[th[starts-with(normalize-space(.), '"
                    + output + " output')]]"));
            double hessian = fit.get("hessianInit").get("slope").asDouble();
            assertThat(numbers(row.findElement(By.cssSelector(".slope-hessian")).getText())).as(output).containsExactly(
                    new double[] {hessian, fit.get("hessianInit").get("slopeLower").asDouble(),
                            fit.get("hessianInit").get("slopeUpper").asDouble()}, org.assertj.core.data.Offset.offset(SHOWN));
            assertThat(numbers(row.findElement(By.cssSelector(".slope-kernel")).getText())[0]).as(output)
                    .isCloseTo(fit.get("kernelChange").get("slope").asDouble(), org.assertj.core.data.Offset.offset(SHOWN));
            if (output.equals("linear")) {
                assertThat(hessian).isBetween(-0.6, -0.4);
            }
        }

        // the log-log plots: one points series and one fitted line per group, legends naming the slopes
        for (String plot : List.of("scaling-hessianInit", "scaling-kernelChange")) {
            WebElement figure = browser.findElement(By.id(plot));
            assertThat(figure.findElements(By.tagName("canvas"))).isNotEmpty();
            assertThat(figure.findElement(By.cssSelector(".chart")).getDomAttribute("data-series")).isEqualTo("6");
            assertThat(figure.findElement(By.cssSelector(".chart")).getDomAttribute("aria-label"))
                    .contains("linear output").contains("slopes");
            assertThat(figure.findElements(By.cssSelector(".u-legend .u-series"))).hasSizeGreaterThanOrEqualTo(6);
        }
        String linearFit = browser.findElement(By.id("scaling-hessianInit")).getText();
        assertThat(linearFit).containsPattern("linear output, widths \\[m\\] fit, slope -0\\.[45]\\d\\d");
        // the server's SVG, fetched with the key and shown as an image
        waitFor(() -> ((Number) js("const i = document.getElementById('sweep-svg'); return i && i.complete ? i.naturalWidth : 0"))
                .intValue() > 0);
        assertThat(browser.findElements(By.cssSelector("#sweep-table tbody tr"))).hasSize(9);
        screenshot("sweep");
        viewportScreenshot("sweep-top", 1200, 1420);

        // an experiment of the sweep: result numbers with their meaning, three plots, downloads
        click(By.cssSelector("#sweep-table tbody tr:first-child a"));
        waitFor(() -> !browser.findElements(By.id("result-numbers")).isEmpty());
        String numbers = text(By.id("result-numbers"));
        assertThat(numbers).contains("dK", "‖H(w₀)‖", "‖w − w₀‖₂", "Linearisation error", "tangent kernel");
        waitFor(() -> browser.findElements(By.cssSelector(".plots figure canvas")).size() == 3);
        assertThat(browser.findElements(By.cssSelector(".downloads a"))).extracting(WebElement::getText)
                .containsExactly("initial.npz", "kernels.npz", "trajectory.csv", "losses.csv", "plot.svg");
        screenshot("experiment");
    }

    @Test
    void theFormShowsTheProblemDetailsAndARunningExperimentIsFollowedAndCancelledFromTheList() throws IOException {
        open("#/submit");
        waitFor(() -> !browser.findElements(By.id("experiment-form")).isEmpty());
        type(By.id("exp-widths"), "100, -1");
        click(By.id("experiment-submit"));
        waitFor(() -> !browser.findElements(By.cssSelector("#experiment-problem .problem")).isEmpty());
        assertThat(text(By.cssSelector("#experiment-problem .problem h3"))).contains("invalid").contains("400");
        assertThat(text(By.cssSelector("#experiment-problem .problem-errors"))).contains("network.hiddenWidths[1]");
        WebElement widths = browser.findElement(By.id("exp-widths"));
        assertThat(widths.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(widths.getDomAttribute("aria-describedby")).contains("exp-widths-error");
        assertThat(text(By.id("exp-widths-error"))).contains("network.hiddenWidths[1]").contains("-1");
        assertThat(browser.switchTo().activeElement().getDomAttribute("role")).isEqualTo("alert");

        String name = "ui-cancel-" + UUID.randomUUID().toString().substring(0, 8);
        type(By.id("exp-name"), name);
        type(By.id("exp-widths"), "256");
        type(By.id("exp-steps"), "100000");
        type(By.id("exp-kernel-every"), "10000");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("exp-hessian-at"))).selectByValue("init");
        click(By.id("experiment-submit"));
        waitFor(() -> browser.getCurrentUrl().contains("#/experiments/"));
        String id = browser.getCurrentUrl().replaceAll(".*#/experiments/", "");
        try {
            // its progress bar advances from the event stream, without reloading the page
            By bar = By.id("progress-" + id);
            waitFor(() -> step(bar) > 0);
            int first = step(bar);
            waitFor(() -> step(bar) > first);
            assertThat(browser.findElement(bar).getDomAttribute("data-source")).as("read from the event stream").isEqualTo("stream");
            assertThat(text(By.cssSelector(".badge"))).isEqualTo("RUNNING");

            click(By.cssSelector("a[data-nav=jobs]"));
            By row = By.cssSelector("#experiments tr[data-id='" + id + "']");
            waitFor(() -> !browser.findElements(row).isEmpty());
            WebElement cancel = browser.findElement(row).findElement(By.tagName("button"));
            assertThat(cancel.getDomAttribute("aria-label")).isEqualTo("Cancel experiment " + name);
            cancel.click();
            waitFor(() -> browser.findElement(row).findElement(By.cssSelector(".badge")).getText().equals("CANCELLED"));
            assertThat(browser.findElement(row).findElements(By.tagName("button"))).isEmpty();
            assertThat(http.get("/api/v1/experiments/" + id).json().get("status").asString()).isEqualTo("CANCELLED");

            // the filter finds it by status and name
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-status"))).selectByValue("CANCELLED");
            type(By.id("filter-name"), name);
            browser.findElement(By.id("filter-name")).sendKeys(Keys.ENTER);
            waitFor(() -> browser.getCurrentUrl().contains("status=CANCELLED"));
            waitFor(() -> browser.findElements(By.cssSelector("#experiments tbody tr")).size() == 1
                    && !browser.findElements(row).isEmpty());
            screenshot("jobs");
        } finally {
            http.post("/api/v1/experiments/" + id + "/cancel", "");
        }
    }

    /**
     * Small values on plot axes and in the result table: uPlot's default labels rounded dK ~ 1e-5
     * to "0" (a width-10^6 run's dK(t) chart had two ticks labelled 0), and the table broke
     * "5.043e-5" across lines. Ticks are labelled in scientific notation outside [1e-3, 1e5); the
     * experiment page shows the distance to the infinite-width kernel.
     */
    @Test
    @SuppressWarnings("unchecked")
    void smallValuesAreLabelledInScientificNotationAndTheInfiniteWidthKernelIsShown() {
        Http.Response submitted = http.post("/api/v1/experiments", """
                {"name": "ui-ntk", "network": {"hiddenWidths": [64], "activation": "relu"},
                 "data": {"n": 6, "inputDim": 3}, "training": {"steps": 4},
                 "measurements": {"kernelEvery": 2, "hessianProbes": [], "infiniteWidthKernel": true}}
                """);
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String location = submitted.header("Location");
        JsonNode job = http.awaitTerminal(location, SWEEP_TIMEOUT);
        open("#/experiments/" + job.get("id").asString());
        waitFor(() -> text(By.id("result-numbers")).contains("dK∞(w₀)"));
        WebElement row = browser.findElement(By.xpath("//table[@id='result-numbers']//tr[th[normalize-space(.)='dK∞(w₀)']]"));
        double shown = Double.parseDouble(row.findElement(By.cssSelector("td.num")).getText());
        double distance = job.get("result").get("infiniteWidthKernel").get("distanceInit").asDouble();
        assertThat(shown).isCloseTo(distance, org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(text(By.id("result-numbers"))).contains("λ_max(Θ∞)", "closed form");
        assertThat(row.findElement(By.cssSelector("td.num")).getCssValue("white-space")).isEqualTo("nowrap");

        // the label function, and the labels uPlot drew for a dK(t)-like series of order 1e-5
        List<Object> labels = (List<Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/ui/js/charts.js').then(m => {
                  const holder = document.createElement('div');
                  document.body.append(holder);
                  const plot = m.linePlot(holder, [0, 1, 2, 3, 4], [{label: 'dK', values: [0, 1.2e-5, 2.1e-5, 3.4e-5, 4.9e-5]}]);
                  // uPlot lays out its axes when it commits the first frame
                  requestAnimationFrame(() => requestAnimationFrame(() => done(
                      [[1e-5, 2.5e-5, 0, 0.5, 123456, -3e-7, 5.043e-5].map(m.tickLabel), plot.axes[1]._values || []])));
                }).catch(e => done(String(e)));
                """);
        assertThat((List<Object>) labels.get(0)).containsExactly("1e-5", "2.5e-5", "0", "0.5", "1.23e5", "-3e-7", "5.04e-5");
        List<Object> drawn = (List<Object>) labels.get(1);
        assertThat(drawn).as("y-axis ticks drawn").hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
        assertThat(drawn.stream().filter("0"::equals)).as("ticks labelled 0 in %s", drawn).hasSizeLessThanOrEqualTo(1);
        assertThat(drawn.stream().filter(l -> !"0".equals(l)))
                .allSatisfy(l -> assertThat((String) l).matches("-?\\d(\\.\\d+)?e-\\d+"));
    }

    @Test
    void anApiKeyIsAskedForOnUnauthorizedAndThenSentWithEveryRequest() {
        open("#/jobs");
        js("sessionStorage.clear()");
        AUTHORIZATIONS.clear();
        REQUIRED_KEY.set(KEY);
        browser.navigate().refresh();
        By dialog = By.id("key-dialog");
        waitFor(() -> browser.findElement(dialog).getDomAttribute("open") != null);
        assertThat(text(By.id("key-problem"))).contains("401").contains("an API key is required");
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("key-input");

        browser.switchTo().activeElement().sendKeys("wrong-key", Keys.ENTER);
        // the service's own check: a key that matches none is a 401, never anonymous
        waitFor(() -> text(By.id("key-problem")).contains("the API key is not valid"));
        assertThat(text(By.id("key-problem"))).contains("401");
        WebElement input = browser.findElement(By.id("key-input"));
        input.clear();
        input.sendKeys(KEY, Keys.ENTER);
        waitFor(() -> browser.findElement(dialog).getDomAttribute("open") == null
                && !browser.findElements(By.id("queue-queued")).isEmpty());
        assertThat(js("return sessionStorage.getItem('ntklab.apiKey')")).isEqualTo(KEY);
        assertThat(AUTHORIZATIONS).isNotEmpty().allMatch(("Bearer " + KEY)::equals);

        // kept for the session: another page loads without asking again
        open("#/submit");
        waitFor(() -> !browser.findElements(By.id("preset-form")).isEmpty());
        assertThat(browser.findElement(dialog).getDomAttribute("open")).isNull();
        js("sessionStorage.clear()");
    }

    @Test
    void labelsLandmarksKeyboardAndContrast() throws IOException {
        browser.get("http://localhost:" + port + "/");
        waitFor(() -> browser.getCurrentUrl().endsWith("/ui/"));
        waitFor(() -> !browser.findElements(By.id("queue-queued")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("header.site-header, nav[aria-label], main#main, footer"))).hasSize(4);

        // keyboard: the skip link comes first and moves the focus to the content without changing the page
        new Actions(browser).sendKeys(Keys.TAB).perform();
        WebElement skip = browser.switchTo().activeElement();
        assertThat(skip.getText()).isEqualTo("Skip to content");
        assertThat(skip.getCssValue("outline-style")).as("focus style").isNotEqualTo("none");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("main");
        assertThat(browser.getCurrentUrl()).doesNotContain("#main");
        // the main navigation by Tab and Enter
        browser.navigate().refresh();
        waitFor(() -> !browser.findElements(By.id("queue-queued")).isEmpty());
        for (int i = 0; i < 6 && !browser.switchTo().activeElement().getText().equals("Submit"); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Submit");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        waitFor(() -> text(By.tagName("h1")).equals("Submit"));
        waitFor(() -> "main".equals(browser.switchTo().activeElement().getDomAttribute("id")));
        // a radio group is chosen with the arrow keys, and the description follows
        browser.findElement(By.id("preset-figure-1-left")).sendKeys(Keys.ARROW_DOWN);
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("preset-figure-1-right");
        waitFor(() -> text(By.id("preset-description")).contains("over training"));

        // every control has a label (or an accessible name), and text keeps its contrast
        for (String page : List.of("#/submit", "#/jobs")) {
            open(page);
            waitFor(() -> !browser.findElements(By.cssSelector("main h2")).isEmpty());
            assertThat(unlabelledControls()).as("controls without a label on %s", page).isEmpty();
            assertThat(lowContrastText()).as("text below the WCAG AA contrast on %s", page).isEmpty();
        }
        // the key dialog opens from the header, by keyboard, and Escape closes it
        WebElement keyButton = browser.findElement(By.id("key-button"));
        keyButton.sendKeys(Keys.ENTER);
        waitFor(() -> browser.findElement(By.id("key-dialog")).getDomAttribute("open") != null);
        assertThat(unlabelledControls()).isEmpty();
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        waitFor(() -> browser.findElement(By.id("key-dialog")).getDomAttribute("open") == null);
    }

    @SuppressWarnings("unchecked")
    private List<String> unlabelledControls() {
        return (List<String>) js("""
                const controls = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
                  .filter(el => el.getClientRects().length > 0);
                if (controls.length < 3) return ['only ' + controls.length + ' controls were found'];
                return controls
                  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                    && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
                  .map(el => el.outerHTML.slice(0, 160));
                """);
    }

    /** Each visible element with text of its own whose colour on its (first opaque) background is below AA. */
    @SuppressWarnings("unchecked")
    private List<String> lowContrastText() {
        return (List<String>) js("""
                const rgb = c => { const p = c.match(/[\\d.]+/g).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
                const lum = c => [c.r, c.g, c.b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                  .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
                const background = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                  if (c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
                const out = [];
                let checked = 0;
                for (const el of document.querySelectorAll('body *')) {
                  if (!el.getClientRects().length || el.closest('svg, canvas, .skip-link, [disabled]')) continue;
                  if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
                  const style = getComputedStyle(el);
                  if (style.visibility === 'hidden') continue;
                  checked++;
                  const a = lum(rgb(style.color)), b = lum(background(el));
                  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
                  const needed = size >= 24 || (bold && size >= 18.66) ? arguments[1] : arguments[0];
                  if (ratio < needed) out.push(el.tagName + ' "' + el.textContent.trim().slice(0, 40) + '" ' + ratio.toFixed(2));
                }
                if (checked < 20) out.push('only ' + checked + ' elements with text were found');
                return out;
                """, MIN_CONTRAST, MIN_CONTRAST_LARGE);
    }

    private void open(String hash) {
        browser.get("http://localhost:" + port + "/ui/" + hash);
    }

    private int step(By bar) {
        String step = browser.findElement(bar).getDomAttribute("data-step");
        return step == null || step.isEmpty() || step.equals("undefined") ? 0 : Integer.parseInt(step);
    }

    private String text(By by) {
        List<WebElement> found = browser.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private void click(By by) {
        waitFor(() -> !browser.findElements(by).isEmpty() && browser.findElement(by).isDisplayed());
        browser.findElement(by).click();
    }

    private void type(By by, String value) {
        WebElement input = browser.findElement(by);
        input.clear();
        input.sendKeys(value);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, PAGE_TIMEOUT, Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    /** What a window of width x height shows of the page's top, as PNG under target/screenshots/. */
    private void viewportScreenshot(String name, int width, int height) throws IOException {
        Dimension size = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(width, height));
        js("window.scrollTo(0, 0)");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    /** The whole page as PNG under target/screenshots/ (the window grows to the page's height for it). */
    private void screenshot(String name) throws IOException {
        js("window.scrollTo(0, 0)");
        Dimension size = browser.manage().window().getSize();
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        browser.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(height + 120, 4000)));
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    /** The decimal numbers in a text, in order. */
    private static double[] numbers(String text) {
        Matcher m = Pattern.compile("-?\\d+\\.\\d+").matcher(text);
        List<Double> out = new ArrayList<>();
        while (m.find()) {
            out.add(Double.parseDouble(m.group()));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
