/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stall log of every offloader, ahead of its listeners: each offloaded call past its
 * pool's stall threshold as one warning with the call's name (the annotated method, for
 * work from Bridge's aspects) and stack, and each pinned virtual thread of a pool
 * likewise; the stack is handed to the logging backend as a {@code Throwable} that
 * carries it. Every stall and pinning is counted by the pools' stats; the log keeps at
 * most one line per pool and method and interval (10 s), saying how many were left out in
 * between, so a hung database that stalls a thousand calls writes one stack, not a
 * thousand. Logger {@code dev.bridge.offload.OffloadStallLogger}: set it to {@code ERROR}
 * or {@code OFF} to silence the log (stalls and pinnings are still counted and handed to
 * the listeners). Thread-safe.
 */
final class OffloadStallLogger implements OffloadStallEvent.Listener {

	private static final Logger logger = LoggerFactory.getLogger(OffloadStallLogger.class);

	private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final Map<String, Window> stalls = new ConcurrentHashMap<>();

	private final Map<String, Window> pinnings = new ConcurrentHashMap<>();

	OffloadStallLogger() {
		this(DEFAULT_INTERVAL, System::nanoTime);
	}

	OffloadStallLogger(Duration interval, LongSupplier nanoClock) {
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
	}

	@Override
	public void onStall(OffloadStallEvent event) {
		long suppressed = admit(this.stalls, event.pool() + " " + event.task());
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
		logger.warn(message.toString(), stack);
	}

	@Override
	public void onPinned(OffloadStallEvent.Pinned event) {
		long suppressed = admit(this.pinnings, event.pool() + " " + event.task());
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
		logger.warn(message.toString(), stack);
	}

	/**
	 * Returns how many lines of {@code key} were left out since the last one, or -1 to
	 * leave this one out.
	 */
	private long admit(Map<String, Window> windows, String key) {
		return windows.computeIfAbsent(key, (name) -> new Window())
			.admit(this.nanoClock.getAsLong(), this.intervalNanos);
	}

	/**
	 * The rate limit of one pool and method: at most one line per interval, counting
	 * those left out.
	 */
	private static final class Window {

		private boolean logged;

		private long lastLogged;

		private long suppressed;

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
