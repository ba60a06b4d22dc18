/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.bridge.loop.LoopStallEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests of the health indicator, the meters and the stall watchdog on a
 * running application.
 */
@SpringBootTest(
		classes = { BridgeTestApplication.class, BridgeObservabilityIntegrationTests.StallListenerConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "bridge.loop.stall-threshold=100ms", "bridge.loop.lag-probe-interval=50ms",
				"bridge.health.lag-down-threshold=300ms", "management.endpoint.health.show-details=always" })
@ExtendWith(OutputCaptureExtension.class)
class BridgeObservabilityIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private BridgeTestApplication.LoopService loopService;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private RecordingStallListener stallListener;

	private WebTestClient client;

	@BeforeEach
	void setUp() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@Test
	void healthIsUpWithLoopAndPoolDetails() {
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
			.jsonPath("$.details.loop.lag")
			.exists()
			.jsonPath("$.details.loop.inFlight")
			.exists()
			.jsonPath("$.details.loop.stalls")
			.exists()
			.jsonPath("$.details.loop.currentTaskAge")
			.exists()
			.jsonPath("$.details.offload.default.limit")
			.isEqualTo(256)
			.jsonPath("$.details.offload.default.active")
			.exists()
			.jsonPath("$.details.offload.default.queued")
			.exists()
			.jsonPath("$.details.offload.default.rejected")
			.exists();
	}

	@Test
	void stalledLoopTurnsHealthDownIsLoggedCountedAndPublishedThenRecovers(CapturedOutput output) throws Exception {
		double stallsBefore = this.meterRegistry.get("bridge.loop.stalls").functionCounter().count();
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> held = this.loopService.hold(release);
		try {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> this.client.get()
					.uri("/actuator/health/bridge")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo("DOWN"));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(output).contains("java.util.concurrent.CountDownLatch.await"));
			// Logged once, by core's stall log, naming the property to change.
			assertThat(output).containsOnlyOnce("stalled: LoopService.hold has run for")
				.containsPattern(
						"stalled: LoopService\\.hold has run for \\d+ ms \\(bridge\\.loop\\.stall-threshold 100 ms, "
								+ "stall #\\d+\\)")
				.contains("Stack of bridge-loop-");
			assertThat(this.meterRegistry.get("bridge.loop.stalls").functionCounter().count())
				.isGreaterThan(stallsBefore);
			assertThat(this.stallListener.events).anySatisfy((event) -> {
				assertThat(event.task()).isEqualTo("LoopService.hold");
				assertThat(event.loopThread()).startsWith("bridge-loop-");
				assertThat(event.stack()).isNotEmpty();
			});
		}
		finally {
			release.countDown();
		}
		assertThat(held.get()).isEqualTo("released");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> this.client.get()
				.uri("/actuator/health/bridge")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class StallListenerConfiguration {

		@Bean
		RecordingStallListener recordingStallListener() {
			return new RecordingStallListener();
		}

	}

	static class RecordingStallListener implements LoopStallEvent.Listener {

		final List<LoopStallEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onStall(LoopStallEvent event) {
			this.events.add(event);
		}

	}

}
