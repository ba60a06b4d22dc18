/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.bridge.offload.OffloadStallEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OffloadStallLogger}.
 */
@ExtendWith(OutputCaptureExtension.class)
class OffloadStallLoggerTests {

	private static final List<StackTraceElement> STACK = List
		.of(new StackTraceElement("dev.example.Orders", "find", "Orders.java", 42));

	@Test
	void aStallIsLoggedWithTheMethodThePoolTheThreadAndTheStack(CapturedOutput output) {
		new OffloadStallLogger().onStall(stall("Orders.find", 1));
		assertThat(output)
			.contains("Offloaded call Orders.find on pool 'jdbc' (thread bridge-offload-jdbc-7) has run for 31000 ms, "
					+ "past bridge.offload.pools.jdbc.stall-threshold 30000 ms (stall #1 of this pool)")
			.contains("bound it with bridge.offload.pools.jdbc.timeout")
			.contains("\tat dev.example.Orders.find(Orders.java:42)");
	}

	@Test
	void aPinningIsLoggedWithThePoolTheThreadTheMethodAndTheStack(CapturedOutput output) {
		new OffloadStallLogger().onPinned(pinned(1));
		assertThat(output)
			.contains("Virtual thread bridge-offload-jdbc-7 of offload pool 'jdbc' running Legacy.init blocked for "
					+ "80 ms while pinned to its carrier thread (pinning #1 of this pool)")
			.contains("bridge.offload.pools.jdbc.threads=platform")
			.contains("\tat dev.example.Orders.find(Orders.java:42)");
	}

	@Test
	void stallsAndPinningsOfOneMethodAreLoggedOncePerIntervalWithTheCountLeftOut(CapturedOutput output) {
		AtomicLong now = new AtomicLong();
		OffloadStallLogger logger = new OffloadStallLogger(Duration.ofSeconds(10), now::get);
		logger.onStall(stall("Orders.find", 1));
		logger.onStall(stall("Orders.find", 2));
		logger.onStall(stall("Stock.load", 3));
		logger.onPinned(pinned(1));
		logger.onPinned(pinned(2));
		assertThat(output).containsOnlyOnce("Offloaded call Orders.find")
			.containsOnlyOnce("Offloaded call Stock.load")
			.containsOnlyOnce("Virtual thread bridge-offload-jdbc-7 of offload pool 'jdbc' running Legacy.init "
					+ "blocked for 80 ms while pinned to its carrier thread (pinning #1 of this pool)");
		now.set(Duration.ofSeconds(11).toNanos());
		logger.onStall(stall("Orders.find", 4));
		logger.onPinned(pinned(3));
		assertThat(output).contains("(stall #4 of this pool, 1 more stalled calls of this method not logged)")
			.contains("(pinning #3 of this pool, 1 more not logged)")
			.contains("bridge.offload.pools.jdbc.threads=platform");
	}

	private static OffloadStallEvent stall(String task, long count) {
		return new OffloadStallEvent("jdbc", task, "bridge-offload-jdbc-7", Duration.ofSeconds(31),
				Duration.ofSeconds(30), STACK, count);
	}

	private static OffloadStallEvent.Pinned pinned(long count) {
		return new OffloadStallEvent.Pinned("jdbc", "Legacy.init", "bridge-offload-jdbc-7", Duration.ofMillis(80),
				STACK, count);
	}

}
