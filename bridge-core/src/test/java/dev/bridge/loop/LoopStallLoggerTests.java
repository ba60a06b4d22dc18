/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.bridge.LogRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoopStallLogger}, on a fake clock.
 */
class LoopStallLoggerTests {

	private final LogRecorder log = LogRecorder.attach("dev.bridge.loop.LoopStallLogger");

	@AfterEach
	void detach() {
		this.log.close();
	}

	@Test
	void stallIsLoggedWithTheTaskNameAndTheLoopStack() {
		new LoopStallLogger().onStall(event("Orders.find", 1));
		ILoggingEvent warning = this.log.first(Level.WARN);
		assertThat(warning.getFormattedMessage())
			.startsWith("Loop bridge-loop-1 stalled: Orders.find has run for 250 ms (bridge.loop.stall-threshold "
					+ "200 ms, stall #1). Everything else on the loop waits meanwhile")
			.endsWith("move blocking code to an offload pool (@OffloadBlocking)");
		assertThat(LogRecorder.rendered(warning)).contains("Stack of bridge-loop-1 at the stall")
			.contains("\tat dev.example.Orders.find(Orders.java:42)");
	}

	@Test
	void repeatedStallsOfOneTaskAreLoggedOncePerIntervalThenCounted() {
		AtomicLong now = new AtomicLong();
		LoopStallLogger logger = new LoopStallLogger(Duration.ofSeconds(10), now::get);
		logger.onStall(event("Orders.find", 1));
		now.set(Duration.ofSeconds(1).toNanos());
		logger.onStall(event("Orders.find", 2));
		logger.onStall(event("Stock.load", 3));
		now.set(Duration.ofSeconds(2).toNanos());
		logger.onStall(event("Orders.find", 4));
		assertThat(this.log.messages(Level.WARN)).hasSize(2)
			.satisfiesExactly((first) -> assertThat(first).contains("stalled: Orders.find").contains("stall #1)"),
					(second) -> assertThat(second).contains("stalled: Stock.load").contains("stall #3)"));
		now.set(Duration.ofSeconds(11).toNanos());
		logger.onStall(event("Orders.find", 5));
		assertThat(this.log.messages(Level.WARN)).hasSize(3)
			.last()
			.asString()
			.contains("stalled: Orders.find")
			.contains("stall #5, 2 more stalls of this task not logged)");
	}

	@Test
	void aStallWhileLoadingClassesIsWarmUpLoggedOnceInOneInfoLineThenRealStallsAreWarnedAbout() {
		LoopStallLogger logger = new LoopStallLogger();
		List<StackTraceElement> loading = List.of(
				new StackTraceElement("java.lang.ClassLoader", "loadClass", "ClassLoader.java", 526),
				new StackTraceElement("dev.example.PriceClient", "current", "PriceClient.java", 17));
		logger.onStall(new LoopStallEvent("bridge-loop-1", "PriceClient.current", Duration.ofMillis(209),
				Duration.ofMillis(200), loading, 1));
		logger.onStall(new LoopStallEvent("bridge-loop-1", "PriceClient.current", Duration.ofMillis(230),
				Duration.ofMillis(200), loading, 2));
		assertThat(this.log.events()).singleElement().satisfies((info) -> {
			assertThat(info.getLevel()).isEqualTo(Level.INFO);
			assertThat(info.getFormattedMessage())
				.isEqualTo("Loop bridge-loop-1: PriceClient.current ran for 209 ms, past bridge.loop.stall-threshold "
						+ "200 ms, while loading or initialising classes (warm-up, counted as stall #1); only a "
						+ "stall outside class loading is warned about")
				.doesNotContain("\n");
			assertThat(info.getThrowableProxy()).isNull();
		});
		logger.onStall(event("PriceClient.current", 3));
		assertThat(this.log.messages(Level.WARN)).singleElement()
			.asString()
			.startsWith("Loop bridge-loop-1 stalled: PriceClient.current");
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
			.loadingClasses(List.of(new StackTraceElement("java.lang.Class", "forName0", "Class.java", 1)))).isTrue();
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
