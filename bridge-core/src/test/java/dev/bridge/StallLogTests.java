/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStallEvent;
import dev.bridge.offload.OffloadStallEvent;
import dev.bridge.offload.Offloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stall log every loop runner and offloader keeps, with or without stall listeners:
 * each loop or offload stall is one warning that says what stalled, where and what to do
 * (naming the property to change), with the thread's stack attached as the event's
 * throwable, which the logging backend prints as it prints any stack.
 */
class StallLogTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private LogRecorder log = LogRecorder.attach("dev.bridge.loop.LoopStallLogger");

	@AfterEach
	void release() {
		this.release.countDown();
		this.log.close();
	}

	@Test
	void aLoopStallIsWarnedAboutWithTheLoopThreadsStack() throws Exception {
		try (LoopRunner runner = LoopRunner.builder().stallThreshold(Duration.ofMillis(50)).build()) {
			String loop = runner.stats().name();
			CompletableFuture<Boolean> stalling = CompletableFuture
				.supplyAsync(() -> runner.named("Legacy.blockingCall").call(this::hang));
			ILoggingEvent warning = this.log.first(Level.WARN);
			this.release.countDown();
			assertThat(stalling.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(warning.getFormattedMessage())
				.startsWith("Loop " + loop + " stalled: Legacy.blockingCall has run for ")
				.contains("(bridge.loop.stall-threshold 50 ms, stall #1)")
				.contains("move blocking code to an offload pool (@OffloadBlocking)");
			assertStack(warning, "Stack of " + loop + " at the stall");
		}
	}

	@Test
	void aLoopStallIsLoggedOnceAndHandedToTheListenersToo() throws Exception {
		List<LoopStallEvent> heard = new CopyOnWriteArrayList<>();
		try (LoopRunner runner = LoopRunner.builder()
			.stallThreshold(Duration.ofMillis(50))
			.stallListener(heard::add)
			.build()) {
			CompletableFuture<Boolean> stalling = CompletableFuture
				.supplyAsync(() -> runner.named("Legacy.blockingCall").call(this::hang));
			await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());
			ILoggingEvent warning = this.log.first(Level.WARN);
			this.release.countDown();
			assertThat(stalling.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(heard).singleElement()
				.satisfies((event) -> assertThat(event.task()).isEqualTo("Legacy.blockingCall"));
			assertThat(warning.getFormattedMessage()).contains("stalled: Legacy.blockingCall");
		}
		assertThat(this.log.events()).hasSize(1);
	}

	@Test
	void anOffloadStallIsWarnedAboutWithTheWorkersStackAndHandedToTheListenersToo() {
		this.log.close();
		this.log = LogRecorder.attach("dev.bridge.offload.OffloadStallLogger");
		List<OffloadStallEvent> heard = new CopyOnWriteArrayList<>();
		try (Offloader offloader = Offloader.builder()
			.pool("jdbc", (pool) -> pool.stallThreshold(Duration.ofMillis(50)))
			.stallListener(heard::add)
			.build()) {
			CompletableFuture<Boolean> stalling = offloader.pool("jdbc").named("Orders.find").future(this::hang);
			ILoggingEvent warning = this.log.first(Level.WARN);
			await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());
			this.release.countDown();
			assertThat(stalling.join()).isTrue();
			assertThat(warning.getFormattedMessage())
				.startsWith("Offloaded call Orders.find on pool 'jdbc' (thread bridge-offload-jdbc-")
				.contains("past bridge.offload.pools.jdbc.stall-threshold 50 ms (stall #1 of this pool)")
				.contains("give the blocking call its own timeout");
			assertStack(warning, "Stack of bridge-offload-jdbc-");
			assertThat(heard).singleElement().satisfies((event) -> assertThat(event.task()).isEqualTo("Orders.find"));
		}
		assertThat(this.log.events()).hasSize(1);
	}

	/**
	 * The warning's throwable holds the stalled thread's stack, down to {@link #hang},
	 * and renders as the log prints it: one {@code at} line per frame.
	 */
	private static void assertStack(ILoggingEvent warning, String says) {
		assertThat(warning.getThrowableProxy()).as("the warning's throwable").isNotNull();
		assertThat(warning.getThrowableProxy().getMessage()).startsWith(says);
		assertThat(LogRecorder.frames(warning)).anySatisfy((frame) -> {
			assertThat(frame.getClassName()).isEqualTo(StallLogTests.class.getName());
			assertThat(frame.getMethodName()).isEqualTo("hang");
		});
		assertThat(LogRecorder.rendered(warning))
			.containsPattern("\n\tat \\S*" + Pattern.quote(StallLogTests.class.getName() + ".hang("));
	}

	private boolean hang() throws InterruptedException {
		return this.release.await(30, TimeUnit.SECONDS);
	}

}
