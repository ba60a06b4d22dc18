/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;

import dev.bridge.annotation.OffloadBlocking;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseCookie;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, item 1, through a running WebFlux server with Spring Security keeping the
 * security context in the {@code WebSession}: an offloaded body that runs as admin does
 * not change the context stored in alice's session, so her next request, sending only her
 * session cookie, is still alice.
 */
@SpringBootTest(classes = WebSessionIsolationTests.SessionApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class WebSessionIsolationTests {

	@LocalServerPort
	private int port;

	private WebTestClient client;

	@BeforeEach
	void setUp() {
		this.client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	@Test
	void anOffloadedBodyRunningAsAdminDoesNotChangeTheSessionsSecurityContext() {
		ResponseCookie session = this.client.get()
			.uri("/session/run-as-admin")
			.headers((headers) -> headers.setBasicAuth("alice", "secret"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice>admin")
			.returnResult()
			.getResponseCookies()
			.getFirst("SESSION");
		assertThat(session).as("the session cookie").isNotNull();
		this.client.get()
			.uri("/session/whoami")
			.cookie(session.getName(), session.getValue())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SessionApplication {

		@Bean
		SecurityWebFilterChain sessionSecurity(ServerHttpSecurity http) {
			WebSessionServerSecurityContextRepository repository = new WebSessionServerSecurityContextRepository();
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.securityContextRepository(repository)
				.httpBasic((basic) -> basic.securityContextRepository(repository))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}secret").roles("USER").build());
		}

		@Bean
		RunAsService runAsService() {
			return new RunAsService();
		}

		@Bean
		SessionController sessionController(RunAsService service) {
			return new SessionController(service);
		}

	}

	static class RunAsService {

		@OffloadBlocking
		public Mono<String> runAsAdmin() {
			SecurityContext context = SecurityContextHolder.getContext();
			Authentication before = context.getAuthentication();
			context.setAuthentication(new TestingAuthenticationToken("admin", "root", "ROLE_ADMIN"));
			return Mono.just(((before != null) ? before.getName() : "none") + ">admin");
		}

	}

	@RestController
	static class SessionController {

		private final RunAsService service;

		SessionController(RunAsService service) {
			this.service = service;
		}

		@GetMapping("/session/run-as-admin")
		Mono<String> runAsAdmin() {
			return this.service.runAsAdmin();
		}

		@GetMapping("/session/whoami")
		Mono<String> whoAmI() {
			return ReactiveSecurityContextHolder.getContext().map((context) -> context.getAuthentication().getName());
		}

	}

}
