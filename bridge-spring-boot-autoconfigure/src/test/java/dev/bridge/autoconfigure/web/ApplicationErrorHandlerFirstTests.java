/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.offload.OffloadRejectedException;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.awaitility.Awaitility.await;

/**
 * Issue 12, item 1: an application's own handler for one of Bridge's exceptions answers
 * instead of Bridge's.
 */
@SpringBootTest(classes = { HttpErrorApplication.class, ApplicationErrorHandlerFirstTests.OwnHandler.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "bridge.offload.pools.tiny.max-concurrency=1", "bridge.offload.pools.tiny.queue-capacity=0" })
class ApplicationErrorHandlerFirstTests {

	@LocalServerPort
	int port;

	@Autowired
	HttpErrorApplication.Work work;

	@Autowired
	Offloader offloader;

	@Test
	void theApplicationsOwnHandlerAnswersInstead() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<String> holding = this.work.hold(release);
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.offloader.pool("tiny").stats().active() == 1);
			WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + this.port)
				.build()
				.get()
				.uri("/tiny")
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		}
		finally {
			release.countDown();
		}
		holding.get(5, TimeUnit.SECONDS);
	}

	@RestControllerAdvice
	static class OwnHandler {

		@ExceptionHandler
		ResponseEntity<String> full(OffloadRejectedException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("slow down");
		}

	}

}
