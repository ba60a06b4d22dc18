/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most one log line per key and interval, and how many were left out in between: what
 * keeps a burst of the same refusal (a full pool answering many requests) from flooding
 * the log while every occurrence is still counted by the meters. Thread-safe.
 */
final class LogRateLimit {

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	/**
	 * A limit of one line per key and {@code interval}, on {@link System#nanoTime()}.
	 * @param interval the least time between two lines of one key
	 */
	LogRateLimit(Duration interval) {
		this(interval, System::nanoTime);
	}

	LogRateLimit(Duration interval, LongSupplier nanoClock) {
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Whether a line for {@code key} may be logged now.
	 * @param key what the line is about
	 * @return how many lines of this key were left out since the last one, or -1 to leave
	 * this one out
	 */
	long admit(String key) {
		return this.windows.computeIfAbsent(key, (name) -> new Window())
			.admit(this.nanoClock.getAsLong(), this.intervalNanos);
	}

	/**
	 * The rate limit of one key.
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
