/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.time.Duration;

/**
 * A component that shuts down in two steps so several of them can share one drain budget:
 * first every component refuses new work, then each drains what is in flight, cancels the
 * rest and releases its threads.
 * <p>
 * Both methods are thread-safe and idempotent: a second call returns at once (the second
 * {@link #finishShutdown(Duration)} returns the first report).
 *
 * @since 0.1.0
 */
public interface GracefulShutdown {

	/**
	 * Stop accepting work: every later submission fails with a
	 * {@link ShuttingDownException}. Work already accepted goes on.
	 */
	void beginShutdown();

	/**
	 * Wait up to {@code drainBudget} for accepted work to finish, then cancel what is
	 * left (each waiting caller gets a {@link CancelledByShutdownException}), release
	 * resources and stop threads. Calls {@link #beginShutdown()} first if nobody did.
	 * @param drainBudget how long to let in-flight work finish; zero cancels at once
	 * @return what happened to the work that was in flight
	 */
	ShutdownReport finishShutdown(Duration drainBudget);

}
