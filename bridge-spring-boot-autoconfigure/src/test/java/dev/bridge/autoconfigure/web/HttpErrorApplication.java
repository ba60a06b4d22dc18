/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.loop.LoopRunner;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * An application that runs on Spring MVC or WebFlux alike (controllers return
 * {@code Mono} and {@code CompletableFuture}), without security, with a one-slot pool
 * {@code tiny} that tests fill to see how a full pool is answered.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration" })
@Import(HttpErrorApplication.Api.class)
class HttpErrorApplication {

	@Bean
	Work work() {
		return new Work();
	}

	@Bean
	Remote remote() {
		return new Remote(WebClient.create());
	}

	static class Work {

		@OffloadBlocking(pool = "tiny")
		public CompletableFuture<String> hold(CountDownLatch release) throws InterruptedException {
			release.await(10, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture("released");
		}

		@OffloadBlocking(pool = "tiny")
		public Mono<String> tiny() {
			return Mono.just(Thread.currentThread().getName());
		}

		@OffloadBlocking
		public CompletableFuture<String> blocking() {
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

		@OffloadBlocking(timeout = "100ms")
		public Mono<String> slow() throws InterruptedException {
			new CountDownLatch(1).await(10, TimeUnit.SECONDS);
			return Mono.just("too late");
		}

	}

	/**
	 * A reactive client run on the loop, calling this application's own server back.
	 */
	static class Remote {

		private final WebClient webClient;

		Remote(WebClient webClient) {
			this.webClient = webClient;
		}

		@RunOnLoop
		public Mono<String> fetch(int port) {
			// Subscribed on the loop: the request starts there.
			String subscribedOn = Thread.currentThread().getName();
			return this.webClient.get()
				.uri("http://localhost:" + port + "/blocking")
				.retrieve()
				.bodyToMono(String.class)
				.map((body) -> subscribedOn + " fetched " + body);
		}

	}

	@RestController
	static class Api {

		private final Work work;

		private final Remote remote;

		private final LoopRunner loop;

		Api(Work work, Remote remote, LoopRunner loop) {
			this.work = work;
			this.remote = remote;
			this.loop = loop;
		}

		@GetMapping("/tiny")
		Mono<String> tiny() {
			return this.work.tiny();
		}

		@GetMapping("/blocking")
		CompletableFuture<String> blocking() {
			return this.work.blocking();
		}

		@GetMapping("/slow")
		Mono<String> slow() throws InterruptedException {
			return this.work.slow();
		}

		@GetMapping("/remote")
		Mono<String> remote(@RequestParam int port) {
			return this.remote.fetch(port);
		}

		@GetMapping("/loop-timeout")
		Mono<String> loopTimeout() {
			return Mono.fromCallable(() -> this.loop.run(Mono.<String>never(), Duration.ofMillis(100)))
				.subscribeOn(Schedulers.boundedElastic());
		}

	}

}
