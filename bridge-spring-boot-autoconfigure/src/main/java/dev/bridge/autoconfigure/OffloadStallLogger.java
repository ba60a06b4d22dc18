/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.bridge.offload.OffloadStallEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs each offloaded call past its pool's stall threshold as one warning with the call's
 * name (the annotated method, for work from Bridge's aspects) and stack, and each pinned
 * virtual thread of a pool likewise; the stack is handed to the logging system as a
 * {@code Throwable} that carries it. Every stall and pinning is counted by the meters;
 * the log keeps at most one line per pool and method and interval, saying how many were
 * left out in between, so a hung database that stalls a thousand calls writes one stack,
 * not a thousand. Thread-safe.
 */
final class OffloadStallLogger implements OffloadStallEvent.Listener {

	private static final Log logger = LogFactory.getLog(OffloadStallLogger.class);

	private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

	private final LogRateLimit stalls;

	private final LogRateLimit pinnings;

	OffloadStallLogger() {
		this(DEFAULT_INTERVAL, System::nanoTime);
	}

	OffloadStallLogger(Duration interval, LongSupplier nanoClock) {
		this.stalls = new LogRateLimit(interval, nanoClock);
		this.pinnings = new LogRateLimit(interval, nanoClock);
	}

	@Override
	public void onStall(OffloadStallEvent event) {
		long suppressed = this.stalls.admit(event.pool() + " " + event.task());
		if (suppressed < 0 || !logger.isWarnEnabled()) {
			return;
		}
		StringBuilder message = new StringBuilder();
		message.append("Offloaded call ")
			.append(event.task())
			.append(" on pool '")
			.append(event.pool())
			.append("' (thread ")
			.append(event.thread())
			.append(") has run for ")
			.append(event.runningFor().toMillis())
			.append(" ms, past bridge.offload.pools.")
			.append(event.pool())
			.append(".stall-threshold ")
			.append(event.threshold().toMillis())
			.append(" ms (stall #")
			.append(event.stallCount())
			.append(" of this pool");
		if (suppressed > 0) {
			message.append(", ").append(suppressed).append(" more stalled calls of this method not logged");
		}
		message.append("). It still runs and holds one of the pool's slots: give the blocking call its own timeout ")
			.append("(JDBC query or socket timeout, HTTP read timeout) or bound it with bridge.offload.pools.")
			.append(event.pool())
			.append(".timeout");
		Throwable stack = new Throwable("Stack of " + event.thread() + " at the stall");
		stack.setStackTrace(event.stack().toArray(new StackTraceElement[0]));
		logger.warn(message, stack);
	}

	@Override
	public void onPinned(OffloadStallEvent.Pinned event) {
		long suppressed = this.pinnings.admit(event.pool() + " " + event.task());
		if (suppressed < 0 || !logger.isWarnEnabled()) {
			return;
		}
		StringBuilder message = new StringBuilder();
		message.append("Virtual thread ")
			.append(event.thread())
			.append(" of offload pool '")
			.append(event.pool())
			.append("' running ")
			.append(event.task())
			.append(" blocked for ")
			.append(event.pinnedFor().toMillis())
			.append(" ms while pinned to its carrier thread (pinning #")
			.append(event.pinnedCount())
			.append(" of this pool");
		if (suppressed > 0) {
			message.append(", ").append(suppressed).append(" more not logged");
		}
		message.append("); meanwhile the carrier ran nothing else. Move the blocking call out of the native frame ")
			.append("or class initialiser (or, before Java 24, the synchronized block) shown below, or run it on a ")
			.append("platform-thread pool (bridge.offload.pools.")
			.append(event.pool())
			.append(".threads=platform)");
		Throwable stack = new Throwable("Stack of " + event.thread() + " where it blocked while pinned");
		stack.setStackTrace(event.stack().toArray(new StackTraceElement[0]));
		logger.warn(message, stack);
	}

}
