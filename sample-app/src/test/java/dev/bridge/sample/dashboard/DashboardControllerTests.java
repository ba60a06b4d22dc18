/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;
import java.util.List;

import dev.bridge.sample.SampleAppTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link DashboardController} and the static dashboard page.
 */
@SampleAppTest
class DashboardControllerTests {

	@Autowired
	private WebTestClient client;

	@Test
	void rootServesTheDashboardPage() {
		this.client.get()
			.uri("/")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((html) -> assertThat(html).contains("id=\"lag-chart\"", "id=\"stall-button\"", "dashboard.js"));
	}

	@Test
	void streamSendsNumberedSamplesOfLoopPoolsAndHealth() {
		List<ServerSentEvent<DashboardSample>> events = this.client.get()
			.uri("/api/dashboard/stream")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(new ParameterizedTypeReference<ServerSentEvent<DashboardSample>>() {
			})
			.getResponseBody()
			.take(3)
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(events).extracting(ServerSentEvent::event).containsOnly("sample");
		assertThat(events).extracting(ServerSentEvent::data)
			.extracting(DashboardSample::seq)
			.containsExactly(0L, 1L, 2L);
		DashboardSample sample = events.get(2).data();
		assertThat(sample.loop().alive()).isTrue();
		assertThat(sample.pools()).extracting(DashboardSample.Pool::name).containsExactly("default", "jdbc");
		assertThat(sample.pools().get(1).limit()).isEqualTo(4);
		assertThat(sample.pools().get(1).queueCapacity()).isEqualTo(16);
		assertThat(sample.health().status()).isEqualTo("UP");
		assertThat(sample.thresholds().stallMillis()).isEqualTo(200);
		assertThat(sample.thresholds().lagDownMillis()).isEqualTo(1000);
	}

}
