/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;

import dev.bridge.loop.LoopRunner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests of both directions on a running WebFlux server.
 */
@SpringBootTest(classes = BridgeTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BridgeWebFluxIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private BridgeTestApplication.LoopService loopService;

	@Autowired
	private LoopRunner loop;

	private WebTestClient client;

	@BeforeEach
	void setUp() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.defaultHeaders((headers) -> headers.setBasicAuth("alice", "secret"))
			.build();
	}

	@Test
	void offloadedMethodCalledFromAControllerSeesTheRequestsMdcAndPrincipalOffTheEventLoop() {
		this.client.get()
			.uri("/whoami")
			.header(BridgeTestApplication.REQUEST_ID, "req-17")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).startsWith("alice|req-17|bridge-offload-default-"));
	}

	@Test
	void offloadedMonoBodyRunsAtSubscribeTimeOnThePool() {
		this.client.get()
			.uri("/lazy")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).matches("(\\d+)\\|\\d+\\|bridge-offload-default-.*").satisfies((text) -> {
				String[] parts = text.split("\\|");
				assertThat(Integer.parseInt(parts[1])).isEqualTo(Integer.parseInt(parts[0]) + 1);
			}));
	}

	@Test
	void syncRunOnLoopFromAPlainThreadRunsOnTheLoopAndReturns() {
		assertThat(this.loopService.threadName()).isEqualTo(this.loop.stats().name()).startsWith("bridge-loop-");
	}

	@Test
	void syncRunOnLoopFromANettyThreadFailsFastInsteadOfBlockingTheEventLoop() {
		// Anonymous, so no authentication moves the request off the Netty thread first.
		WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build()
			.get()
			.uri("/public/loop-sync")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
			.expectBody(String.class)
			.value((body) -> assertThat(body)
				.containsPattern("was called on the non-blocking thread '[a-z]+-http-(nio|epoll)-")
				.contains("would block its event loop"));
	}

}
