/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, items 1 and 12: how Bridge's errors are answered over HTTP, out of the box,
 * on a real server of each web stack; a controller also calls {@code @RunOnLoop} (a
 * WebClient on the loop) and {@code @OffloadBlocking}. Run against Spring MVC on Tomcat
 * by {@link HttpErrorResponseSpringMvcTests} and against WebFlux on Netty by
 * {@link HttpErrorResponseWebFluxTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class HttpErrorResponseContract {

	@LocalServerPort
	int port;

	@Autowired
	HttpErrorApplication.Work work;

	@Autowired
	Offloader offloader;

	WebTestClient client;

	@BeforeEach
	void client() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@Test
	void aFullPoolIsAnswered503WithRetryAfterAndAProblemNamingThePoolAndLoggedOnceWithoutAStack(CapturedOutput output)
			throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> holding = this.work.hold(release);
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.offloader.pool("tiny").stats().active() == 1);
			for (int i = 0; i < 3; i++) {
				this.client.get()
					.uri("/tiny")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectHeader()
					.valueEquals("Retry-After", "1")
					.expectHeader()
					.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody()
					.jsonPath("$.status")
					.isEqualTo(503)
					.jsonPath("$.pool")
					.isEqualTo("tiny")
					.jsonPath("$.detail")
					.value(String.class, (detail) -> assertThat(detail).contains("'tiny' pool is full")
						.doesNotContain("bridge.offload"));
			}
		}
		finally {
			release.countDown();
		}
		assertThat(holding.get(5, TimeUnit.SECONDS)).isEqualTo("released");
		assertThat(output).containsOnlyOnce("HTTP request rejected by a full offload pool 'tiny'")
			.doesNotContain("at dev.bridge.offload")
			.doesNotContain("ERROR");
	}

	@Test
	void anOffloadTimeoutIsAnswered504() {
		this.client.get()
			.uri("/slow")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
			.expectBody()
			.jsonPath("$.title")
			.isEqualTo("Timed out");
	}

	@Test
	void aLoopTimeoutIsAnswered504() {
		this.client.get().uri("/loop-timeout").exchange().expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
	}

	@Test
	void aControllerCallsTheLoopAndThePoolBothWays() {
		this.client.get()
			.uri("/remote?port=" + this.port)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).matches("bridge-loop-\\d+ fetched bridge-offload-default-.*"));
	}

}
