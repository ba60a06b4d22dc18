/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.annotation.RunOnLoop;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.aop.BridgeAspectsAutoConfiguration;
import dev.bridge.autoconfigure.health.BridgeHealthAutoConfiguration;
import dev.bridge.autoconfigure.lifecycle.BridgeLifecycleAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 7, item 8: every {@code bridge.*} key of the design's section 5, and the pool and
 * timeouts an annotation names, refuses invalid values at startup with a message that
 * names the key; valid values at the edges are taken as given, never clamped.
 * <p>
 * "Absurdly large" means a value the runtime cannot represent: an int beyond
 * {@code Integer.MAX_VALUE}, or a duration beyond the 64-bit nanoseconds Bridge's timers
 * count in (about 292 years). Accepting such a value would only move the failure from
 * startup to the first call or to shutdown. The starter does not check durations for size
 * itself: the core builder or offloader that takes the value refuses it, and the starter
 * names the key or the annotation it came from.
 */
class BadConfigurationTests {

	private static final String HUGE_DURATION = "300000d";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BridgeAutoConfiguration.class,
				BridgeAspectsAutoConfiguration.class, BridgeLifecycleAutoConfiguration.class,
				BridgeHealthAutoConfiguration.class))
		.withBean(AnnotatedService.class);

	static Stream<Arguments> invalidProperties() {
		List<Arguments> rows = new ArrayList<>();
		row(rows, "bridge.enabled", "perhaps");
		row(rows, "bridge.loop.thread-name", " ");
		durations(rows, "bridge.loop.call-timeout");
		durations(rows, "bridge.loop.stall-threshold");
		durations(rows, "bridge.loop.lag-probe-interval");
		row(rows, "bridge.offload.threads", "green");
		if (!ThreadMode.virtualThreadsAvailable()) {
			row(rows, "bridge.offload.threads", "virtual");
		}
		counts(rows, "bridge.offload.max-concurrency", true);
		counts(rows, "bridge.offload.queue-capacity", false);
		row(rows, "bridge.offload.timeout", "-1s");
		row(rows, "bridge.offload.timeout", "soon");
		row(rows, "bridge.offload.interrupt-on-cancel", "sometimes");
		row(rows, "bridge.offload.pools.jdbc.threads", "green");
		counts(rows, "bridge.offload.pools.jdbc.max-concurrency", true);
		counts(rows, "bridge.offload.pools.jdbc.queue-capacity", false);
		row(rows, "bridge.offload.pools.jdbc.timeout", "-1s");
		row(rows, "bridge.offload.pools.jdbc.timeout", "soon");
		row(rows, "bridge.context.propagation", "maybe");
		row(rows, "bridge.context.mdc", "maybe");
		row(rows, "bridge.shutdown.timeout", "-1s");
		row(rows, "bridge.shutdown.timeout", "later");
		durations(rows, "bridge.health.lag-down-threshold");
		return rows.stream();
	}

	private static void row(List<Arguments> rows, String key, String value) {
		rows.add(Arguments.of(key, value));
	}

	/** Negative, zero, not a duration. */
	private static void durations(List<Arguments> rows, String key) {
		row(rows, key, "-1ms");
		row(rows, key, "0s");
		row(rows, key, "soon");
	}

	/** Negative, zero where a count must be positive, not a number, beyond an int. */
	private static void counts(List<Arguments> rows, String key, boolean positive) {
		row(rows, key, "-1");
		if (positive) {
			row(rows, key, "0");
		}
		row(rows, key, "many");
		row(rows, key, "3000000000");
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("invalidProperties")
	void invalidValueStopsStartupWithAMessageNamingTheKey(String key, String value) {
		this.contextRunner.withPropertyValues(key + "=" + value)
			.run((context) -> assertThat(context).as("%s=%s", key, value)
				.getFailure()
				.satisfies((failure) -> assertThat(messages(failure)).contains(key)));
	}

	@ParameterizedTest(name = "{0}=" + HUGE_DURATION)
	@ValueSource(
			strings = { "bridge.loop.call-timeout", "bridge.loop.stall-threshold", "bridge.loop.lag-probe-interval",
					"bridge.offload.timeout", "bridge.offload.stall-threshold", "bridge.offload.pools.jdbc.timeout",
					"bridge.offload.pools.jdbc.stall-threshold", "bridge.shutdown.timeout" })
	void aDurationTooLargeForTheTimersStopsStartupWithTheCoresReasonAndTheKey(String key) {
		this.contextRunner.withPropertyValues(key + "=" + HUGE_DURATION)
			.run((context) -> assertThat(context).getFailure()
				.satisfies((failure) -> assertThat(messages(failure)).contains(key)
					.contains("is too large: PT7200000H does not fit in 64-bit nanoseconds (about 292 years)")));
	}

	@Test
	void aShutdownTimeoutTooLargeIsRefusedByTheOffloaderWhenTheLoopRunnerIsTheApplicationsOwn() {
		this.contextRunner.withBean(LoopRunner.class, LoopRunner::create)
			.withPropertyValues("bridge.shutdown.timeout=" + HUGE_DURATION)
			.run((context) -> assertThat(context).getFailure()
				.satisfies((failure) -> assertThat(messages(failure))
					.contains("bridge.shutdown.timeout is refused: shutdownTimeout is too large: PT7200000H")));
	}

	static Stream<Arguments> invalidAnnotations() {
		return Stream.of(
				Arguments.of(UnknownPool.class, "@OffloadBlocking(pool = \"reports\") on UnknownPool.load",
						"bridge.offload.pools.reports"),
				Arguments.of(NegativeOffloadTimeout.class,
						"@OffloadBlocking(timeout = \"-1s\") on NegativeOffloadTimeout.load", "must be"),
				Arguments.of(MalformedOffloadTimeout.class,
						"@OffloadBlocking(timeout = \"soon\") on MalformedOffloadTimeout.load", "not a duration"),
				Arguments.of(ZeroLoopTimeout.class, "@RunOnLoop(timeout = \"0s\") on ZeroLoopTimeout.run",
						"must be positive"),
				Arguments.of(NegativeLoopTimeout.class, "@RunOnLoop(timeout = \"-5ms\") on NegativeLoopTimeout.run",
						"must be positive"),
				Arguments.of(HugeLoopTimeout.class,
						"@RunOnLoop(timeout = \"" + HUGE_DURATION + "\") on HugeLoopTimeout.run",
						"refused as the method's loop call timeout: callTimeout (bridge.loop.call-timeout) "
								+ "is too large: PT7200000H does not fit in 64-bit nanoseconds"),
				Arguments.of(HugeOffloadTimeout.class,
						"@OffloadBlocking(timeout = \"" + HUGE_DURATION + "\") on HugeOffloadTimeout.load",
						"refused as the call timeout of pool 'default': timeout is too large: PT7200000H does not "
								+ "fit in 64-bit nanoseconds"));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("invalidAnnotations")
	void invalidAnnotationStopsStartupWithAMessageNamingTheAnnotationAndMethod(Class<?> bean, String names,
			String says) {
		this.contextRunner.withBean(bean)
			.run((context) -> assertThat(context).getFailure()
				.satisfies((failure) -> assertThat(messages(failure)).contains(names).contains(says)));
	}

	@Test
	void validValuesAtTheEdgesAreTakenAsGiven() {
		this.contextRunner.withPropertyValues("bridge.offload.max-concurrency=1", "bridge.offload.queue-capacity=0",
				"bridge.offload.timeout=0s", "bridge.offload.pools.jdbc.max-concurrency=2147483647",
				"bridge.offload.pools.jdbc.queue-capacity=2147483647", "bridge.loop.call-timeout=1ms",
				"bridge.loop.stall-threshold=1ms", "bridge.shutdown.timeout=0s", "bridge.health.lag-down-threshold=1ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Offloader offloader = context.getBean(Offloader.class);
				OffloadStats defaults = offloader.stats();
				assertThat(defaults.limit()).isEqualTo(1);
				assertThat(defaults.queueCapacity()).isZero();
				OffloadStats jdbc = offloader.pool("jdbc").stats();
				assertThat(jdbc.limit()).isEqualTo(Integer.MAX_VALUE);
				assertThat(jdbc.queueCapacity()).isEqualTo(Integer.MAX_VALUE);
				assertThat(offloader.pool("jdbc").future(() -> "ran").get()).isEqualTo("ran");
				assertThat(context.getBean(LoopRunner.class).run(Mono.just("ran"), Duration.ofSeconds(5)))
					.isEqualTo("ran");
			});
	}

	/** Every message of the failure and its causes, one per line. */
	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			messages.append(current.getClass().getName()).append(": ").append(current.getMessage()).append('\n');
		}
		return messages.toString();
	}

	static class AnnotatedService {

		@OffloadBlocking
		public Mono<String> load() {
			return Mono.just("x");
		}

		@RunOnLoop
		public String run() {
			return "x";
		}

	}

	static class UnknownPool {

		@OffloadBlocking(pool = "reports")
		public Mono<String> load() {
			return Mono.just("x");
		}

	}

	static class NegativeOffloadTimeout {

		@OffloadBlocking(timeout = "-1s")
		public Mono<String> load() {
			return Mono.just("x");
		}

	}

	static class MalformedOffloadTimeout {

		@OffloadBlocking(timeout = "soon")
		public Mono<String> load() {
			return Mono.just("x");
		}

	}

	static class ZeroLoopTimeout {

		@RunOnLoop(timeout = "0s")
		public String run() {
			return "x";
		}

	}

	static class NegativeLoopTimeout {

		@RunOnLoop(timeout = "-5ms")
		public String run() {
			return "x";
		}

	}

	static class HugeOffloadTimeout {

		@OffloadBlocking(timeout = HUGE_DURATION)
		public Mono<String> load() {
			return Mono.just("x");
		}

	}

	static class HugeLoopTimeout {

		@RunOnLoop(timeout = HUGE_DURATION)
		public String run() {
			return "x";
		}

	}

}
