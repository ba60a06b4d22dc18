/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks.http;

/**
 * The blocking operation every endpoint calls: a 20 ms wait, like a slow JDBC query or a
 * legacy HTTP client call. Thread-safe.
 */
final class SlowOperation {

	static final long MILLIS = Long.getLong("bench.slow.millis", 20);

	private SlowOperation() {
	}

	/**
	 * Blocks the calling thread for {@link #MILLIS} milliseconds.
	 * @return the response body
	 */
	static String call() {
		try {
			Thread.sleep(MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while blocking", ex);
		}
		return "ok";
	}

}
