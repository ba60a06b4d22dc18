/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import dev.bridge.sample.GatedQueryDelay;
import dev.bridge.sample.SampleAppTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End-to-end test of the dashboard page in a real headless Chromium: the chart updates
 * from the event stream, the burst button saturates the pool, and the stall button is
 * seen as a detected stall and a health badge going DOWN and back UP. Leaves a screenshot
 * in {@code target/dashboard.png} (copied by hand to {@code docs/images/dashboard.png}
 * for the README).
 * <p>
 * Skipped when Debian's {@code chromium} and {@code chromium-driver} are not installed
 * ({@code .ci/install-browser.sh} installs them). Uses only those system binaries:
 * Selenium Manager never has to download a browser or a driver.
 */
@SampleAppTest
class DashboardBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	@TempDir
	static Path profile;

	private static WebDriver browser;

	@LocalServerPort
	private int port;

	@Autowired
	private GatedQueryDelay database;

	@Autowired
	private Offloader offloader;

	@BeforeAll
	static void startBrowser() {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"needs /usr/bin/chromium and /usr/bin/chromedriver (run .ci/install-browser.sh)");
		System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + profile, "--window-size=1440,1320", "--force-device-scale-factor=1");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		browser = new ChromeDriver(service, options);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@Test
	void dashboardShowsPoolSaturationAndALoopStallGoingDownThenUp() throws Exception {
		browser.get("http://localhost:" + this.port + "/");
		WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(25));
		WebElement chart = browser.findElement(By.id("lag-chart"));
		WebElement badge = browser.findElement(By.id("health-badge"));

		wait.until((driver) -> sampleCount(chart) >= 3);
		int seen = sampleCount(chart);
		wait.until((driver) -> sampleCount(chart) >= seen + 3);
		wait.until(ExpectedConditions.attributeToBe(badge, "data-status", "UP"));

		OffloadStats jdbc = this.offloader.pool("jdbc").stats();
		burstWhileTheDatabaseIsHeld(wait, chart, jdbc);
		wait.until(ExpectedConditions.textMatches(By.id("log"),
				Pattern.compile("Burst of 100: " + (jdbc.limit() + jdbc.queueCapacity()) + " OK")));

		long stallsBefore = Long.parseLong(browser.findElement(By.id("stall-count")).getText());
		browser.findElement(By.id("stall-button")).click();
		wait.until((driver) -> Long.parseLong(driver.findElement(By.id("stall-count")).getText()) > stallsBefore);
		wait.until(ExpectedConditions.attributeToBe(badge, "data-status", "DOWN"));
		assertThat(badge.getText()).isEqualTo("DOWN");
		wait.until(ExpectedConditions.attributeToBe(badge, "data-status", "UP"));
		assertThat(badge.getText()).isEqualTo("UP");
		assertThat(badge.getAttribute("data-down-count")).isNotEqualTo("0");
		wait.until(ExpectedConditions.textMatches(By.id("log"), Pattern.compile("was blocked for")));
		int afterStall = sampleCount(chart);
		wait.until((driver) -> sampleCount(chart) >= afterStall + 4);

		saveScreenshot();
	}

	private void burstWhileTheDatabaseIsHeld(WebDriverWait wait, WebElement chart, OffloadStats jdbc)
			throws InterruptedException {
		try (GatedQueryDelay.Gate gate = this.database.closeGate()) {
			browser.findElement(By.id("burst-button")).click();
			gate.awaitArrivals(jdbc.limit());
			await().untilAsserted(
					() -> assertThat(this.offloader.pool("jdbc").stats().queued()).isEqualTo(jdbc.queueCapacity()));
			wait.until(ExpectedConditions.textToBe(By.cssSelector("tr[data-pool='jdbc'] td:nth-child(4)"),
					Integer.toString(jdbc.queueCapacity())));
			int held = sampleCount(chart);
			// keep the pool full for a few samples, so the occupancy chart shows a
			// plateau
			wait.until((driver) -> sampleCount(chart) >= held + 4);
		}
	}

	private static int sampleCount(WebElement chart) {
		String count = chart.getAttribute("data-sample-count");
		return (count != null) ? Integer.parseInt(count) : 0;
	}

	private static void saveScreenshot() throws IOException {
		byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
		Path target = Path.of("target", "dashboard.png");
		Files.createDirectories(target.getParent());
		Files.write(target, png);
	}

}
