/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.bridge.loop.LoopStallEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoopStallLogger}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoopStallLoggerTests {

	@Test
	void stallIsLoggedWithTheTaskNameAndTheLoopStack(CapturedOutput output) {
		new LoopStallLogger().onStall(event("Orders.find", 1));
		assertThat(output).contains("Loop bridge-loop-1 stalled: Orders.find has run for 250 ms")
			.contains("bridge.loop.stall-threshold 200 ms, stall #1")
			.contains("\tat dev.example.Orders.find(Orders.java:42)");
	}

	@Test
	void repeatedStallsOfOneTaskAreLoggedOncePerIntervalThenCounted(CapturedOutput output) {
		AtomicLong now = new AtomicLong();
		LoopStallLogger logger = new LoopStallLogger(Duration.ofSeconds(10), now::get);
		logger.onStall(event("Orders.find", 1));
		now.set(Duration.ofSeconds(1).toNanos());
		logger.onStall(event("Orders.find", 2));
		logger.onStall(event("Stock.load", 3));
		now.set(Duration.ofSeconds(2).toNanos());
		logger.onStall(event("Orders.find", 4));
		assertThat(output).containsOnlyOnce("stalled: Orders.find").containsOnlyOnce("stalled: Stock.load");
		now.set(Duration.ofSeconds(11).toNanos());
		logger.onStall(event("Orders.find", 5));
		assertThat(output).contains("stall #5, 2 more stalls of this task not logged");
	}

	@Test
	void aStallWhileLoadingClassesIsWarmUpLoggedOnceInOneInfoLineThenRealStallsAreWarnedAbout(CapturedOutput output) {
		LoopStallLogger logger = new LoopStallLogger();
		List<StackTraceElement> loading = List.of(
				new StackTraceElement("java.lang.ClassLoader", "loadClass", "ClassLoader.java", 526),
				new StackTraceElement("dev.example.PriceClient", "current", "PriceClient.java", 17));
		logger.onStall(new LoopStallEvent("bridge-loop-1", "PriceClient.current", Duration.ofMillis(209),
				Duration.ofMillis(200), loading, 1));
		logger.onStall(new LoopStallEvent("bridge-loop-1", "PriceClient.current", Duration.ofMillis(230),
				Duration.ofMillis(200), loading, 2));
		assertThat(output).containsOnlyOnce("INFO")
			.contains("Loop bridge-loop-1: PriceClient.current ran for 209 ms, past bridge.loop.stall-threshold "
					+ "200 ms, while loading or initialising classes (warm-up, counted as stall #1)")
			.doesNotContain("WARN")
			.doesNotContain("\tat java.lang.ClassLoader");
		logger.onStall(event("PriceClient.current", 3));
		assertThat(output).contains("WARN").contains("stalled: PriceClient.current");
	}

	@Test
	void classLoadingIsToldFromOrdinaryCode() {
		assertThat(LoopStallLogger
			.loadingClasses(List.of(new StackTraceElement("dev.example.Prices", "<clinit>", "Prices.java", 3))))
			.isTrue();
		assertThat(LoopStallLogger.loadingClasses(List
			.of(new StackTraceElement("jdk.internal.loader.BuiltinClassLoader", "loadClass", "Loader.java", 1))))
			.isTrue();
		assertThat(LoopStallLogger
			.loadingClasses(List.of(new StackTraceElement("java.lang.Thread", "sleep", "Thread.java", 1),
					new StackTraceElement("dev.example.Orders", "find", "Orders.java", 42))))
			.isFalse();
	}

	private static LoopStallEvent event(String task, long count) {
		return new LoopStallEvent("bridge-loop-1", task, Duration.ofMillis(250), Duration.ofMillis(200),
				List.of(new StackTraceElement("dev.example.Orders", "find", "Orders.java", 42)), count);
	}

}
