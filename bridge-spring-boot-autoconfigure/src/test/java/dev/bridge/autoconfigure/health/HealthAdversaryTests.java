/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Adversarial tests of the {@code bridge} health indicator against Spring Boot's health
 * contract: a stall while paused, recovery, details, and a readiness group on a running
 * server.
 */
@SpringBootTest(classes = HealthAdversaryTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "bridge.health.lag-down-threshold=100ms", "bridge.loop.lag-probe-interval=20ms",
				"management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,bridge",
				"management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-components=always" })
class HealthAdversaryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BridgeAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class,
				BridgeHealthAutoConfiguration.class))
		.withPropertyValues("bridge.health.lag-down-threshold=50ms", "bridge.loop.lag-probe-interval=20ms",
				"bridge.shutdown.timeout=50ms");

	private final CountDownLatch release = new CountDownLatch(1);

	@LocalServerPort
	private int port;

	@Autowired
	private LoopRunner loop;

	private WebTestClient client;

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@AfterEach
	void release() {
		this.release.countDown();
	}

	private boolean hang() {
		try {
			return this.release.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Test
	void aLoopStalledWhileTheContextIsStoppedIsDownNotJustOutOfService() {
		this.contextRunner.run((context) -> {
			HealthIndicator indicator = context.getBean("bridgeHealthIndicator", HealthIndicator.class);
			CompletableFuture<Boolean> stalled = context.getBean(LoopRunner.class)
				.submit(Mono.fromCallable(this::hang));
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> indicator.health().getStatus().equals(Status.DOWN));
			// The stop waits bridge.shutdown.timeout for the stalled task, then leaves it
			// running.
			context.stop();
			Health health = indicator.health();
			assertThat(details(health, "loop")).containsEntry("state", "paused");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("reason").toString()).contains("behind").contains("paused");
			this.release.countDown();
			assertThat(stalled.get(5, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> indicator.health().getStatus().equals(Status.OUT_OF_SERVICE));
			context.start();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
		});
	}

	@Test
	void aContextStopIsOutOfServiceWithPausedStateAndHeldPoolsThenUpAgain() {
		this.contextRunner.run((context) -> {
			HealthIndicator indicator = context.getBean("bridgeHealthIndicator", HealthIndicator.class);
			context.stop();
			Health paused = indicator.health();
			assertThat(paused.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(details(paused, "loop")).containsEntry("state", "paused").containsEntry("alive", true);
			assertThat(details(details(paused, "offload"), "default")).containsEntry("held", 0);
			context.start();
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(context.getBean(Offloader.class).pool("default").stats().held()).isZero();
		});
	}

	@Test
	void detailsCarryNoThreadStacksAndStayTheSameSizeAcrossStalls() {
		this.contextRunner.run((context) -> {
			HealthIndicator indicator = context.getBean("bridgeHealthIndicator", HealthIndicator.class);
			LoopRunner runner = context.getBean(LoopRunner.class);
			int before = indicator.health().toString().length();
			CompletableFuture<Boolean> stalled = runner.submit(Mono.fromCallable(this::hang));
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> indicator.health().getStatus().equals(Status.DOWN));
			Health down = indicator.health();
			assertThat(down.toString()).doesNotContain("CountDownLatch").doesNotContain("StackTraceElement");
			assertThat(down.getDetails()).containsOnlyKeys("reason", "loop", "offload");
			this.release.countDown();
			assertThat(stalled.get(5, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(1))
				.until(() -> indicator.health().getStatus().equals(Status.UP));
			assertThat(indicator.health().toString().length()).isLessThan(before + 20);
		});
	}

	@Test
	void aStalledLoopTakesTheReadinessGroupDownOverHttpAndHidesDetailsByDefault() throws Exception {
		this.client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		CompletableFuture<Boolean> stalled = this.loop.submit(Mono.fromCallable(this::hang));
		try {
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(5))
				.untilAsserted(() -> this.client.get()
					.uri("/actuator/health/bridge")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo("DOWN")
					.jsonPath("$.details")
					.doesNotExist());
			this.client.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("DOWN");
		}
		finally {
			this.release.countDown();
		}
		assertThat(stalled.get(5, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.untilAsserted(() -> this.client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
		this.client.get()
			.uri("/actuator/health/bridge")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Health health, String key) {
		return (Map<String, Object>) health.getDetails().get(key);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Map<String, Object> map, String key) {
		return (Map<String, Object>) map.get(key);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration" })
	static class App {

	}

}
