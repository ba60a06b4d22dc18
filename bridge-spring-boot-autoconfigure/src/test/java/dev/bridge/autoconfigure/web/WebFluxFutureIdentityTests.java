/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.bridge.annotation.OffloadBlocking;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20, item 6: an {@code @OffloadBlocking} method returning a
 * {@code CompletableFuture}, called from a WebFlux handler, runs with the request's
 * identity, through Spring Security with HTTP basic, when the application has Reactor's
 * automatic context propagation on (Boot's {@code spring.reactor.context-propagation}).
 */
@SpringBootTest(classes = WebFluxFutureIdentityTests.FutureApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.reactor.context-propagation=auto")
class WebFluxFutureIdentityTests {

	@LocalServerPort
	private int port;

	@AfterAll
	static void disableGlobalHook() {
		// Boot turned the JVM-wide hook on for this application only.
		Hooks.disableAutomaticContextPropagation();
	}

	@Test
	void anOffloadedFutureMethodCalledFromAHandlerSeesTheRequestsIdentity() {
		WebTestClient client = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(10))
			.build();
		for (String user : new String[] { "alice", "bob", "alice" }) {
			client.get()
				.uri("/future/whoami")
				.headers((headers) -> headers.setBasicAuth(user, "secret"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.value((body) -> assertThat(body).startsWith(user + "@bridge-offload-default-"));
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FutureApplication {

		@Bean
		SecurityWebFilterChain futureSecurity(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}secret").roles("USER").build(),
					User.withUsername("bob").password("{noop}secret").roles("USER").build());
		}

		@Bean
		FutureService futureService() {
			return new FutureService();
		}

		@Bean
		FutureController futureController(FutureService service) {
			return new FutureController(service);
		}

	}

	static class FutureService {

		@OffloadBlocking
		public CompletableFuture<String> whoAmI() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return CompletableFuture.completedFuture(((authentication != null) ? authentication.getName() : "anonymous")
					+ "@" + Thread.currentThread().getName());
		}

	}

	@RestController
	static class FutureController {

		private final FutureService service;

		FutureController(FutureService service) {
			this.service = service;
		}

		@GetMapping("/future/whoami")
		CompletableFuture<String> whoAmI() {
			return this.service.whoAmI();
		}

	}

}
