/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.loop.LoopDeadlockException;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;

/**
 * A WebFlux application with Spring Security, a filter that puts a request id in the MDC
 * (through the Reactor context, as tracing does), and services on both sides of Bridge.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class BridgeTestApplication {

	static final String REQUEST_ID = "X-Request-Id";

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		// Only the API is secured: Spring Security's session handling moves a request off
		// the Netty thread, and /public must reach its handler on it.
		return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/whoami", "/lazy"))
			.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.build();
	}

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(
				User.withUsername("alice").password("{noop}secret").roles("USER").build());
	}

	@Bean
	WebFilter requestIdFilter() {
		return (exchange, chain) -> {
			String requestId = exchange.getRequest().getHeaders().getFirst(REQUEST_ID);
			if (requestId == null) {
				return chain.filter(exchange);
			}
			return chain.filter(exchange)
				.contextWrite(Context.of(Slf4jThreadLocalAccessor.KEY, Map.of("requestId", requestId)));
		};
	}

	@Bean
	BlockingService blockingService() {
		return new BlockingService();
	}

	@Bean
	LoopService loopService() {
		return new LoopService();
	}

	static class BlockingService {

		private final AtomicInteger lazyCalls = new AtomicInteger();

		public int lazyCalls() {
			return this.lazyCalls.get();
		}

		@OffloadBlocking
		public Mono<String> whoAmI() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			String user = (authentication != null) ? authentication.getName() : "anonymous";
			return Mono.just(user + "|" + MDC.get("requestId") + "|" + Thread.currentThread().getName());
		}

		@OffloadBlocking
		public Mono<String> lazy() {
			this.lazyCalls.incrementAndGet();
			return Mono.just(Thread.currentThread().getName());
		}

	}

	static class LoopService {

		@RunOnLoop
		public String threadName() {
			return Thread.currentThread().getName();
		}

		/**
		 * Holds the loop until released: a stall, as blocking code on the loop causes.
		 */
		@RunOnLoop
		public CompletableFuture<String> hold(CountDownLatch release) throws InterruptedException {
			release.await(30, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture("released");
		}

	}

	/**
	 * Registered as a member component of the application class.
	 */
	@RestController
	static class BridgeController {

		private final BlockingService blocking;

		private final LoopService loop;

		BridgeController(BlockingService blocking, LoopService loop) {
			this.blocking = blocking;
			this.loop = loop;
		}

		@GetMapping("/whoami")
		Mono<String> whoAmI() {
			return this.blocking.whoAmI();
		}

		@GetMapping("/lazy")
		Mono<String> lazy() {
			Mono<String> body = this.blocking.lazy();
			int callsAtAssembly = this.blocking.lazyCalls();
			return body.map((thread) -> callsAtAssembly + "|" + this.blocking.lazyCalls() + "|" + thread);
		}

		@GetMapping("/public/loop-sync")
		String loopSync() {
			return Thread.currentThread().getName() + " got " + this.loop.threadName();
		}

		@ExceptionHandler(LoopDeadlockException.class)
		ResponseEntity<String> deadlock(LoopDeadlockException ex) {
			return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(ex.getMessage());
		}

	}

}
