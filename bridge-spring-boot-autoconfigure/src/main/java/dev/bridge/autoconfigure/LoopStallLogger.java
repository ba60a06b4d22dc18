/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.bridge.loop.LoopStallEvent;
import dev.bridge.loop.LoopStallListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs each loop stall as one warning with the loop thread's stack and the stalling
 * task's name (the annotated method, for work from Bridge's aspects). A task that stalls
 * again and again is logged at most once per interval, with the number of stalls left out
 * in between. Thread-safe.
 */
final class LoopStallLogger implements LoopStallListener {

	private static final Log logger = LogFactory.getLog(LoopStallLogger.class);

	private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	LoopStallLogger() {
		this(DEFAULT_INTERVAL, System::nanoTime);
	}

	LoopStallLogger(Duration interval, LongSupplier nanoClock) {
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
	}

	@Override
	public void onStall(LoopStallEvent event) {
		Window window = this.windows.computeIfAbsent(event.loopThread() + " " + event.task(), (key) -> new Window());
		long suppressed = window.admit(this.nanoClock.getAsLong(), this.intervalNanos);
		if (suppressed < 0 || !logger.isWarnEnabled()) {
			return;
		}
		StringBuilder message = new StringBuilder();
		message.append("Loop ")
			.append(event.loopThread())
			.append(" stalled: ")
			.append(event.task())
			.append(" has run for ")
			.append(event.runningFor().toMillis())
			.append(" ms (bridge.loop.stall-threshold ")
			.append(event.threshold().toMillis())
			.append(" ms, stall #")
			.append(event.stallCount());
		if (suppressed > 0) {
			message.append(", ").append(suppressed).append(" more stalls of this task not logged");
		}
		message.append("). Everything else on the loop waits meanwhile: move blocking code to an offload pool ")
			.append("(@OffloadBlocking). Loop stack:");
		for (StackTraceElement element : event.stack()) {
			message.append(System.lineSeparator()).append("\tat ").append(element);
		}
		logger.warn(message);
	}

	/**
	 * The rate limit of one task's warnings.
	 */
	private static final class Window {

		private boolean logged;

		private long lastLogged;

		private long suppressed;

		/**
		 * The number of stalls not logged since the last warning, or -1 to skip this one.
		 */
		synchronized long admit(long now, long intervalNanos) {
			if (this.logged && now - this.lastLogged < intervalNanos) {
				this.suppressed++;
				return -1;
			}
			this.logged = true;
			this.lastLogged = now;
			long skipped = this.suppressed;
			this.suppressed = 0;
			return skipped;
		}

	}

}
