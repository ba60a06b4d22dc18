/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.blockhound;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BridgeBlockHoundIntegration}. BlockHound instruments the whole JVM for
 * good, so these tests run in a JVM of their own (the {@code blockhound} tag has its own
 * Surefire execution) with {@code -XX:+AllowRedefinitionToAddDeleteMethods}.
 */
@Tag("blockhound")
class BridgeBlockHoundIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class))
		.withUserConfiguration(ServicesConfiguration.class);

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install();
	}

	@Test
	void blockingCallOnTheLoopIsReported() {
		this.contextRunner.run((context) -> assertThatExceptionOfType(BlockingOperationError.class)
			.isThrownBy(() -> context.getBean(LoopService.class).sleepOnLoop())
			.withMessageContaining("Thread.sleep"));
	}

	@Test
	void sameBlockingCallUnderOffloadBlockingIsNotReported() {
		this.contextRunner.run((context) -> {
			StepVerifier.create(context.getBean(LoopService.class).sleepOffloaded())
				.expectNext("slept")
				.verifyComplete();
			assertThat(context.getBean(BlockingService.class).sleep().get(5, TimeUnit.SECONDS)).isEqualTo("slept");
		});
	}

	@Test
	void idleLoopParkingBetweenTasksIsNotReported() {
		try (LoopRunner loop = LoopRunner.create()) {
			assertThat(loop.call(() -> "first")).isEqualTo("first");
			// Long enough idle for the loop to yield and park before the next task.
			await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> loop.stats().alive());
			assertThat(loop.call(() -> "after idling")).isEqualTo("after idling");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ServicesConfiguration {

		@Bean
		BlockingService blockingService() {
			return new BlockingService();
		}

		@Bean
		LoopService loopService(BlockingService blocking) {
			return new LoopService(blocking);
		}

	}

	static class BlockingService {

		@OffloadBlocking
		public CompletableFuture<String> sleep() throws InterruptedException {
			Thread.sleep(10);
			return CompletableFuture.completedFuture("slept");
		}

	}

	static class LoopService {

		private final BlockingService blocking;

		LoopService(BlockingService blocking) {
			this.blocking = blocking;
		}

		@RunOnLoop
		public String sleepOnLoop() throws InterruptedException {
			Thread.sleep(10);
			return "slept";
		}

		@RunOnLoop
		public Mono<String> sleepOffloaded() throws InterruptedException {
			return Mono.fromFuture(this.blocking.sleep());
		}

	}

}
