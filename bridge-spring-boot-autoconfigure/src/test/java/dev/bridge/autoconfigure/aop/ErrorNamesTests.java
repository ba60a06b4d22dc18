/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.offload.OffloadRejectedException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors of annotated methods name the user's method, not Bridge's internals.
 */
class ErrorNamesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class))
		.withPropertyValues("bridge.offload.pools.jdbc.max-concurrency=1", "bridge.offload.pools.jdbc.queue-capacity=0")
		.withBean(OrderRepository.class);

	@Test
	void rejectionsOfReactiveMethodsNameTheMethod() {
		this.contextRunner.run((context) -> {
			OrderRepository repository = context.getBean(OrderRepository.class);
			Mono<String> holding = repository.hold().cache();
			holding.subscribe();
			assertThat(repository.awaitHolding()).isTrue();
			StepVerifier.create(repository.findById(1))
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(OffloadRejectedException.class)
					.hasMessageContaining("rejected OrderRepository.findById;")
					.hasMessageNotContaining("mono(Callable)"))
				.verify(Duration.ofSeconds(10));
			StepVerifier.create(repository.findAll())
				.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(OffloadRejectedException.class)
					.hasMessageContaining("rejected OrderRepository.findAll;"))
				.verify(Duration.ofSeconds(10));
			repository.release();
			assertThat(holding.block(Duration.ofSeconds(10))).isEqualTo("released");
		});
	}

	static class OrderRepository {

		private final CountDownLatch holding = new CountDownLatch(1);

		private final CountDownLatch release = new CountDownLatch(1);

		@OffloadBlocking(pool = "jdbc")
		public Mono<String> hold() throws InterruptedException {
			this.holding.countDown();
			return Mono.just(this.release.await(10, TimeUnit.SECONDS) ? "released" : "timed out");
		}

		@OffloadBlocking(pool = "jdbc")
		public Mono<String> findById(long id) {
			return Mono.just("order-" + id);
		}

		@OffloadBlocking(pool = "jdbc")
		public Flux<String> findAll() {
			return Flux.just("order-1");
		}

		public boolean awaitHolding() throws InterruptedException {
			return this.holding.await(10, TimeUnit.SECONDS);
		}

		public void release() {
			this.release.countDown();
		}

	}

}
