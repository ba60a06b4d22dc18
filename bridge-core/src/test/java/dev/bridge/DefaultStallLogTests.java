/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a core user without stall listeners reads: each loop or offload stall is one
 * warning that says what stalled, where and what to do, with the thread's stack attached
 * as the event's throwable, which the logging backend prints as it prints any stack.
 */
class DefaultStallLogTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private final Recorder recorder = new Recorder();

	@AfterEach
	void release() {
		this.release.countDown();
		this.recorder.detach();
	}

	@Test
	void aLoopStallIsWarnedAboutWithTheLoopThreadsStack() throws Exception {
		this.recorder.attach("dev.bridge.loop.DefaultLoopRunner");
		try (LoopRunner runner = LoopRunner.builder().stallThreshold(Duration.ofMillis(50)).build()) {
			String loop = runner.stats().name();
			CompletableFuture<Boolean> stalling = CompletableFuture
				.supplyAsync(() -> runner.named("Legacy.blockingCall").call(this::hang));
			ILoggingEvent warning = this.recorder.first(Level.WARN);
			this.release.countDown();
			assertThat(stalling.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(warning.getFormattedMessage())
				.startsWith("Loop " + loop + " stalled: Legacy.blockingCall has run for ")
				.contains("move it to an offload pool (@OffloadBlocking)");
			assertStack(warning, "Stack of " + loop + " at the stall");
		}
	}

	@Test
	void anOffloadStallIsWarnedAboutWithTheWorkersStack() {
		this.recorder.attach("dev.bridge.offload.OffloadWatchdog");
		try (Offloader offloader = Offloader.builder()
			.pool("jdbc", (pool) -> pool.stallThreshold(Duration.ofMillis(50)))
			.build()) {
			CompletableFuture<Boolean> stalling = offloader.pool("jdbc").named("Orders.find").future(this::hang);
			ILoggingEvent warning = this.recorder.first(Level.WARN);
			this.release.countDown();
			assertThat(stalling.join()).isTrue();
			assertThat(warning.getFormattedMessage())
				.startsWith("Offloaded call Orders.find on pool 'jdbc' (thread bridge-offload-jdbc-")
				.contains("give the blocking call a timeout");
			assertStack(warning, "Stack of bridge-offload-jdbc-");
		}
	}

	/**
	 * The warning's throwable holds the stalled thread's stack, down to {@link #hang},
	 * and renders as the log prints it: one {@code at} line per frame.
	 */
	private static void assertStack(ILoggingEvent warning, String says) {
		IThrowableProxy stack = warning.getThrowableProxy();
		assertThat(stack).as("the warning's throwable").isNotNull();
		assertThat(stack.getMessage()).startsWith(says);
		assertThat(Arrays.stream(stack.getStackTraceElementProxyArray())
			.map(StackTraceElementProxy::getStackTraceElement)
			.toList()).anySatisfy((frame) -> {
				assertThat(frame.getClassName()).isEqualTo(DefaultStallLogTests.class.getName());
				assertThat(frame.getMethodName()).isEqualTo("hang");
			});
		assertThat(ThrowableProxyUtil.asString(stack))
			.containsPattern("\n\tat \\S*" + Pattern.quote(DefaultStallLogTests.class.getName() + ".hang("));
	}

	private boolean hang() throws InterruptedException {
		return this.release.await(30, TimeUnit.SECONDS);
	}

	/**
	 * Records one logger's events while a test runs.
	 */
	private static final class Recorder extends AppenderBase<ILoggingEvent> {

		private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

		private @Nullable Logger logger;

		void attach(String name) {
			this.logger = (Logger) LoggerFactory.getLogger(name);
			start();
			this.logger.addAppender(this);
		}

		void detach() {
			if (this.logger != null) {
				this.logger.detachAppender(this);
			}
		}

		ILoggingEvent first(Level level) {
			return await().atMost(Duration.ofSeconds(10))
				.until(() -> this.events.stream().filter((event) -> event.getLevel() == level).findFirst(),
						(found) -> found.isPresent())
				.orElseThrow();
		}

		@Override
		protected void append(ILoggingEvent event) {
			this.events.add(event);
		}

	}

}
