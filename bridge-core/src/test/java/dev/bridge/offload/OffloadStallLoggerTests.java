/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

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
 * Tests for {@link OffloadStallLogger}, on a fake clock.
 */
class OffloadStallLoggerTests {

	private static final List<StackTraceElement> STACK = List
		.of(new StackTraceElement("dev.example.Orders", "find", "Orders.java", 42));

	private final LogRecorder log = LogRecorder.attach("dev.bridge.offload.OffloadStallLogger");

	@AfterEach
	void detach() {
		this.log.close();
	}

	@Test
	void aStallIsLoggedWithTheMethodThePoolTheThreadAndTheStack() {
		new OffloadStallLogger().onStall(stall("Orders.find", 1));
		ILoggingEvent warning = this.log.first(Level.WARN);
		assertThat(warning.getFormattedMessage())
			.startsWith(
					"Offloaded call Orders.find on pool 'jdbc' (thread bridge-offload-jdbc-7) has run for 31000 ms, "
							+ "past bridge.offload.pools.jdbc.stall-threshold 30000 ms (stall #1 of this pool).")
			.contains("give the blocking call its own timeout")
			.endsWith("bound it with bridge.offload.pools.jdbc.timeout");
		assertThat(LogRecorder.rendered(warning)).contains("Stack of bridge-offload-jdbc-7 at the stall")
			.contains("\tat dev.example.Orders.find(Orders.java:42)");
	}

	@Test
	void aPinningIsLoggedWithThePoolTheThreadTheMethodAndTheStack() {
		new OffloadStallLogger().onPinned(pinned(1));
		ILoggingEvent warning = this.log.first(Level.WARN);
		assertThat(warning.getFormattedMessage())
			.startsWith("Virtual thread bridge-offload-jdbc-7 of offload pool 'jdbc' running Legacy.init blocked for "
					+ "80 ms while pinned to its carrier thread (pinning #1 of this pool);")
			.endsWith("(bridge.offload.pools.jdbc.threads=platform)");
		assertThat(LogRecorder.rendered(warning))
			.contains("Stack of bridge-offload-jdbc-7 where it blocked while pinned")
			.contains("\tat dev.example.Orders.find(Orders.java:42)");
	}

	@Test
	void stallsAndPinningsOfOneMethodAreLoggedOncePerIntervalWithTheCountLeftOut() {
		AtomicLong now = new AtomicLong();
		OffloadStallLogger logger = new OffloadStallLogger(Duration.ofSeconds(10), now::get);
		logger.onStall(stall("Orders.find", 1));
		logger.onStall(stall("Orders.find", 2));
		logger.onStall(stall("Stock.load", 3));
		logger.onPinned(pinned(1));
		logger.onPinned(pinned(2));
		// Another method of the same pool has its own limit.
		logger.onPinned(new OffloadStallEvent.Pinned("jdbc", "Legacy.other", "bridge-offload-jdbc-8",
				Duration.ofMillis(90), STACK, 3));
		assertThat(this.log.messages(Level.WARN)).satisfiesExactly(
				(first) -> assertThat(first).startsWith("Offloaded call Orders.find")
					.contains("(stall #1 of this pool)"),
				(second) -> assertThat(second).startsWith("Offloaded call Stock.load"),
				(third) -> assertThat(third).startsWith("Virtual thread bridge-offload-jdbc-7 of offload pool 'jdbc' "
						+ "running Legacy.init blocked for 80 ms while pinned to its carrier thread (pinning #1 of "
						+ "this pool)"),
				(fourth) -> assertThat(fourth).contains("running Legacy.other").contains("(pinning #3 of this pool)"));
		now.set(Duration.ofSeconds(11).toNanos());
		logger.onStall(stall("Orders.find", 4));
		logger.onPinned(pinned(4));
		assertThat(this.log.messages(Level.WARN)).hasSize(6)
			.endsWith("Offloaded call Orders.find on pool 'jdbc' (thread bridge-offload-jdbc-7) has run for 31000 ms, "
					+ "past bridge.offload.pools.jdbc.stall-threshold 30000 ms (stall #4 of this pool, 1 more stalled "
					+ "calls of this method not logged). It still runs and holds one of the pool's slots: give the "
					+ "blocking call its own timeout (JDBC query or socket timeout, HTTP read timeout) or bound it "
					+ "with bridge.offload.pools.jdbc.timeout",
					"Virtual thread bridge-offload-jdbc-7 of offload pool 'jdbc' running Legacy.init blocked for 80 ms "
							+ "while pinned to its carrier thread (pinning #4 of this pool, 1 more not logged); "
							+ "meanwhile the carrier ran nothing else. Move the blocking call out of the native frame "
							+ "or class initialiser (or, before Java 24, the synchronized block) shown below, or run "
							+ "it on a platform-thread pool (bridge.offload.pools.jdbc.threads=platform)");
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
