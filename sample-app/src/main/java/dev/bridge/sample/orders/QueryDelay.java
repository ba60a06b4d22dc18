/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.orders;

import java.time.Duration;

/**
 * What makes the legacy database slow: called by {@link LegacyOrderRepository} before
 * every query, on the thread that runs the query. The application's own is a plain sleep
 * of {@code sample.legacy.latency}; tests replace it with a gate they open and close.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface QueryDelay {

	/**
	 * Blocks the calling thread for as long as the simulated database takes.
	 * @throws InterruptedException when the query is cancelled while waiting
	 */
	void beforeQuery() throws InterruptedException;

	/**
	 * A delay that sleeps for a fixed time.
	 * @param latency the time to sleep, zero for none
	 * @return the delay
	 */
	static QueryDelay sleeping(Duration latency) {
		return () -> {
			if (!latency.isZero()) {
				Thread.sleep(latency.toMillis());
			}
		};
	}

}
