/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, item 4: {@code bridge.enabled=false} says which annotated methods now run on
 * their callers' threads, once, at WARN.
 */
@ExtendWith(OutputCaptureExtension.class)
class BridgeDisabledWarningTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BridgeAutoConfiguration.class, BridgeDisabledAutoConfiguration.class))
		.withBean(OrderRepository.class)
		.withBean(PriceClient.class)
		.withBean(Unannotated.class);

	@Test
	void disablingBridgeListsTheMethodsThatNowRunOnTheirCallersThreads(CapturedOutput output) {
		this.contextRunner.withPropertyValues("bridge.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsOnlyOnce("bridge.enabled is false, so these methods annotated with "
					+ "@OffloadBlocking or @RunOnLoop run on their callers' threads (blocking code among them may "
					+ "block an event loop): OrderRepository.findAll, OrderRepository.findById, PriceClient.price. "
					+ "Remove bridge.enabled=false to route them again.");
		});
	}

	@Test
	void nothingIsSaidWhileBridgeIsEnabled(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(output).doesNotContain("bridge.enabled is false"));
	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target({ ElementType.METHOD, ElementType.TYPE })
	@OffloadBlocking(pool = "jdbc")
	@interface Jdbc {

	}

	@Jdbc
	static class OrderRepository {

		public Mono<String> findById(long id) {
			return Mono.just("order " + id);
		}

		public Mono<String> findAll() {
			return Mono.just("orders");
		}

	}

	static class PriceClient {

		@RunOnLoop
		public String price() {
			return "1";
		}

		public String name() {
			return "prices";
		}

	}

	static class Unannotated {

		public String hello() {
			return "hello";
		}

	}

}
