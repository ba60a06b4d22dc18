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

	private static LoopStallEvent event(String task, long count) {
		return new LoopStallEvent("bridge-loop-1", task, Duration.ofMillis(250), Duration.ofMillis(200),
				List.of(new StackTraceElement("dev.example.Orders", "find", "Orders.java", 42)), count);
	}

}
