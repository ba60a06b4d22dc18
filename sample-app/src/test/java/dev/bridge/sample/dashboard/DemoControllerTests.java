/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import dev.bridge.sample.GatedQueryDelay;
import dev.bridge.sample.SampleAppTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link DemoController}: the dashboard's burst and stall buttons,
 * as seen through the API, the loop's statistics and the health endpoint.
 */
@SampleAppTest
class DemoControllerTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private Offloader offloader;

	@Autowired
	private LoopRunner loop;

	@Autowired
	private GatedQueryDelay database;

	private WebClient async;

	@BeforeEach
	void createAsyncClient(@LocalServerPort int port) {
		// WebTestClient waits for each response; these tests act while a response is
		// pending
		this.async = WebClient.create("http://localhost:" + port);
	}

	@Test
	void aHungJdbcCallIsCaughtByTheWorkerWatchdog() {
		long stallsBefore = this.offloader.pool("jdbc").stats().stalls();
		this.client.post()
			.uri("/api/demo/hang?millis=2500")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.thread")
			.value((thread) -> assertThat((String) thread).startsWith("bridge-offload-jdbc-"));
		assertThat(this.offloader.pool("jdbc").stats().stalls()).isEqualTo(stallsBefore + 1);
	}

	@Test
	void burstBeyondThePoolCapacityIsPartlyAnswered503() throws Exception {
		OffloadStats jdbc = this.offloader.pool("jdbc").stats();
		int capacity = jdbc.limit() + jdbc.queueCapacity();
		int extra = 10;
		try (GatedQueryDelay.Gate gate = this.database.closeGate()) {
			CompletableFuture<BurstResult> burst = this.async.post()
				.uri("/api/demo/burst?count={count}", capacity + extra)
				.retrieve()
				.bodyToMono(BurstResult.class)
				.toFuture();
			gate.awaitArrivals(jdbc.limit());
			await().untilAsserted(() -> {
				OffloadStats now = this.offloader.pool("jdbc").stats();
				assertThat(now.queued()).isEqualTo(jdbc.queueCapacity());
				assertThat(now.rejected()).isEqualTo(jdbc.rejected() + extra);
			});
			gate.open();

			BurstResult result = burst.get(20, TimeUnit.SECONDS);
			assertThat(result.requested()).isEqualTo(capacity + extra);
			assertThat(result.ok()).isEqualTo(capacity);
			assertThat(result.rejected()).isEqualTo(extra);
			assertThat(result.other()).isZero();
		}
	}

	@Test
	void burstSizeIsValidated() {
		this.client.post().uri("/api/demo/burst?count=0").exchange().expectStatus().isBadRequest();
	}

	@Test
	void stallingTheLoopIsDetectedAndTurnsHealthDownThenUp() throws Exception {
		long stallsBefore = this.loop.stats().stalls();
		assertThat(bridgeHealth()).isEqualTo("UP 200");

		CompletableFuture<LoopStaller.StallResult> stall = this.async.post()
			.uri("/api/demo/stall")
			.retrieve()
			.bodyToMono(LoopStaller.StallResult.class)
			.toFuture();

		await().pollInterval(Duration.ofMillis(50)).until(this::bridgeHealth, (status) -> status.equals("DOWN 503"));
		LoopStaller.StallResult result = stall.get(10, TimeUnit.SECONDS);
		assertThat(result.thread()).isEqualTo(this.loop.stats().name());
		assertThat(result.blockedMillis()).isGreaterThanOrEqualTo(1500);
		assertThat(this.loop.stats().stalls()).isGreaterThan(stallsBefore);
		await().until(this::bridgeHealth, (status) -> status.equals("UP 200"));
	}

	private String bridgeHealth() {
		return this.async.get()
			.uri("/actuator/health/bridge")
			.exchangeToMono((response) -> response.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {
			}).map((health) -> health.get("status") + " " + response.statusCode().value()))
			.block(Duration.ofSeconds(5));
	}

	@Test
	void healthShowsLoopAndPoolDetails() {
		this.client.get()
			.uri("/actuator/health/bridge")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.details.loop.alive")
			.isEqualTo(true)
			.jsonPath("$.details.offload.jdbc.limit")
			.isEqualTo(4);
	}

	@Test
	void bridgeMetricsAreExposed() {
		this.client.get()
			.uri("/actuator/metrics/bridge.loop.lag")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name")
			.isEqualTo("bridge.loop.lag");
	}

}
