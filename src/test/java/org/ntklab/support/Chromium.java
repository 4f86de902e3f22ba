package org.ntklab.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium, headless, driven by the system chromedriver (packages {@code chromium} and
 * {@code chromium-driver}): paths {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver},
 * or {@code NTKLAB_CHROMIUM} and {@code NTKLAB_CHROMEDRIVER}. Both paths are given to Selenium,
 * so Selenium Manager never looks for (or downloads) a browser or a driver. Without them the
 * browser tests are skipped, unless {@code NTKLAB_REQUIRE_BROWSER=true} (CI sets it), when they fail.
 */
public final class Chromium {

    private Chromium() {
    }

    public static Path binary() {
        return Path.of(System.getenv().getOrDefault("NTKLAB_CHROMIUM", "/usr/bin/chromium"));
    }

    public static Path driverBinary() {
        return Path.of(System.getenv().getOrDefault("NTKLAB_CHROMEDRIVER", "/usr/bin/chromedriver"));
    }

    /** For {@code @EnabledIf}: whether both are installed; throws instead of skipping when they are required. */
    public static boolean available() {
        boolean available = Files.isExecutable(binary()) && Files.isExecutable(driverBinary());
        if (!available && Boolean.parseBoolean(System.getenv("NTKLAB_REQUIRE_BROWSER"))) {
            throw new IllegalStateException("NTKLAB_REQUIRE_BROWSER is set but " + binary() + " or " + driverBinary()
                    + " is missing: apt-get install -y chromium chromium-driver");
        }
        return available;
    }

    /**
     * A new headless browser with a fresh profile under {@code profiles}, a window of
     * {@code width} x {@code height} and its console kept (see {@code driver.manage().logs()}).
     * The flags keep Chromium off the network: no background requests, updates, sync or QUIC.
     */
    public static ChromeDriver start(Path profiles, int width, int height) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(Files.createDirectories(profiles), "chromium-"),
                "--window-size=" + width + "," + height, "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("prefs", Map.of("download.default_directory",
                profiles.resolve("downloads").toAbsolutePath().toString()));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary().toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new ChromeDriver(service, options);
    }
}
