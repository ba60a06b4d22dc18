/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.lifecycle;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Issue 19: a user's test suite with two {@code @SpringBootTest} configurations, run in
 * the order A, B, A in one JVM under Spring's test context cache and its default pause
 * mode ({@code ON_CONTEXT_SWITCH}): B's start pauses A's cached context, and the third
 * class reuses and restarts it. Every way into Bridge must work in all three. The classes
 * are launched from here through the JUnit Platform launcher so that their order is
 * fixed; they do not run on their own.
 */
class TestContextCacheTests {

	private static volatile boolean launched;

	private static volatile ApplicationContext firstA;

	@Test
	void bridgeWorksInEachClassOfAnABASuiteUnderTheDefaultPauseMode() {
		launched = true;
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		try {
			LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
				.selectors(selectClass(FirstA.class), selectClass(SecondB.class), selectClass(ThirdA.class))
				.configurationParameter("junit.jupiter.testclass.order.default",
						ClassOrderer.OrderAnnotation.class.getName())
				.build();
			Launcher launcher = LauncherFactory.create();
			launcher.execute(request, listener);
		}
		finally {
			launched = false;
		}
		TestExecutionSummary summary = listener.getSummary();
		assertThat(summary.getFailures()).as("failures of the launched classes")
			.extracting((failure) -> failure.getTestIdentifier().getDisplayName() + ": " + failure.getException())
			.isEmpty();
		assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
	}

	static boolean launched() {
		return launched;
	}

	/**
	 * Every way into Bridge, then the health endpoint over HTTP.
	 */
	abstract static class BridgeCalls {

		@Autowired
		ApplicationContext context;

		@Autowired
		Services services;

		@Autowired
		LoopRunner loop;

		@Autowired
		Offloader offloader;

		@Autowired
		Lifecycles lifecycles;

		@LocalServerPort
		int port;

		void assertBridgeWorks() {
			assertThat(this.services.offloaded().block(Duration.ofSeconds(5))).startsWith("bridge-offload-default-");
			assertThat(this.services.onLoop()).startsWith("bridge-loop-");
			assertThat(this.loop.run(Mono.fromCallable(() -> Thread.currentThread().getName())))
				.startsWith("bridge-loop-");
			assertThat(this.offloader.mono(() -> Thread.currentThread().getName()).block(Duration.ofSeconds(5)))
				.startsWith("bridge-offload-default-");
			WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + this.port)
				.responseTimeout(Duration.ofSeconds(10))
				.build()
				.get()
				.uri("/actuator/health/bridge")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP");
		}

	}

	@Order(1)
	@EnabledIf("dev.bridge.autoconfigure.lifecycle.TestContextCacheTests#launched")
	@SpringBootTest(classes = CacheTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
			"bridge.offload.pools.a.max-concurrency=2", "management.endpoint.health.show-details=always" })
	static class FirstA extends BridgeCalls {

		@Test
		void bridgeWorks() {
			firstA = this.context;
			assertBridgeWorks();
		}

	}

	@Order(2)
	@EnabledIf("dev.bridge.autoconfigure.lifecycle.TestContextCacheTests#launched")
	@SpringBootTest(classes = CacheTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
			"bridge.offload.pools.b.max-concurrency=2", "management.endpoint.health.show-details=always" })
	static class SecondB extends BridgeCalls {

		@Test
		void bridgeWorks() {
			assertThat(this.context).isNotSameAs(firstA);
			assertBridgeWorks();
		}

	}

	@Order(3)
	@EnabledIf("dev.bridge.autoconfigure.lifecycle.TestContextCacheTests#launched")
	@SpringBootTest(classes = CacheTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
			"bridge.offload.pools.a.max-concurrency=2", "management.endpoint.health.show-details=always" })
	static class ThirdA extends BridgeCalls {

		@Test
		void bridgeWorksAfterTheCachedContextWasPausedAndRestarted() {
			assertThat(this.context).as("A's cached context").isSameAs(firstA);
			assertThat(this.lifecycles.stops).as("pauses of A's context").hasPositiveValue();
			assertThat(this.lifecycles.starts.get()).isGreaterThan(1);
			assertBridgeWorks();
		}

	}

	/**
	 * A WebFlux application with actuator, Bridge and a service on each side.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Lifecycles.class)
	static class CacheTestApplication {

		@Bean
		Services services() {
			return new Services();
		}

		@Bean
		SecurityWebFilterChain openToAll(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll()).build();
		}

	}

	static class Services {

		@OffloadBlocking
		public Mono<String> offloaded() {
			return Mono.just(Thread.currentThread().getName());
		}

		@RunOnLoop
		public String onLoop() {
			return Thread.currentThread().getName();
		}

	}

	/**
	 * Counts how often Spring stops and starts the context's pauseable components.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Lifecycles {

		final AtomicInteger starts = new AtomicInteger();

		final AtomicInteger stops = new AtomicInteger();

		@Bean
		SmartLifecycle lifecycleCounter() {
			return new SmartLifecycle() {

				private volatile boolean running;

				@Override
				public void start() {
					Lifecycles.this.starts.incrementAndGet();
					this.running = true;
				}

				@Override
				public void stop() {
					Lifecycles.this.stops.incrementAndGet();
					this.running = false;
				}

				@Override
				public boolean isRunning() {
					return this.running;
				}

			};
		}

	}

}
