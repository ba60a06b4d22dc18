/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 11: the sample application processed by Spring AOT ({@code process-aot})
 * and started with {@code -Dspring.aot.enabled=true} (see this module's pom) serves both
 * directions: a reactive endpoint over {@code @OffloadBlocking} JDBC, and one over
 * {@code @RunOnLoop} state, with Bridge's health UP.
 */
class AotModeIT {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String base = "http://localhost:" + System.getProperty("aot.port");

	@Test
	void offloadedJdbcAnswersInAotMode() throws Exception {
		HttpResponse<String> order = get("/api/orders/1");
		assertThat(order.statusCode()).isEqualTo(200);
		assertThat(order.body()).contains("\"id\":1");
	}

	@Test
	void loopConfinedStateAnswersInAotMode() throws Exception {
		HttpResponse<String> reports = get("/api/reports");
		assertThat(reports.statusCode()).isEqualTo(200);
		assertThat(reports.body()).startsWith("[");
	}

	@Test
	void bridgeIsHealthyInAotMode() throws Exception {
		HttpResponse<String> health = get("/actuator/health/bridge");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
