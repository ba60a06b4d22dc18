/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.time.Duration;

/**
 * A component that can pause and resume without losing anything, and shuts down in two
 * steps so several of them can share one drain budget: first every component refuses new
 * work, then each drains what is in flight, cancels the rest and releases its threads.
 * The loop runners and offloaders the builders make implement it.
 * <p>
 * The states and what each accepts:
 * <ul>
 * <li><em>running</em> (from the start, and after {@link #resume()}): work is accepted
 * and starts at once;
 * <li><em>paused</em> ({@link #pause()}): work in flight goes on; new work is accepted
 * and held, and starts when {@link #resume()} is called. Nothing is refused or closed, so
 * what users hold (the component itself, resources it manages) stays valid. A caller
 * waiting for held work waits within its own timeout;
 * <li><em>shut down</em> ({@link #beginShutdown()}, for good): new work is refused with a
 * {@link ShuttingDownException}; held work is cancelled with a
 * {@link CancelledByShutdownException} by {@link #finishShutdown(Duration)}.
 * </ul>
 * All methods are thread-safe and idempotent: a second call returns at once (the second
 * {@link #finishShutdown(Duration)} returns the first report).
 *
 * @since 0.1.0
 */
public interface GracefulShutdown {

	/**
	 * Hold new work from now on, until {@link #resume()}; work in flight goes on. Does
	 * nothing when paused or shut down already.
	 */
	void pause();

	/**
	 * Waits, after {@link #pause()}, until the work that was in flight when it paused has
	 * finished, or {@code budget} runs out. Held work is not waited for: it has not
	 * started.
	 * @param budget how long to wait at most
	 * @return how many calls are still running
	 */
	int awaitQuiescence(Duration budget);

	/**
	 * Start the work held while paused, in the order it came, and accept new work again.
	 * Does nothing unless paused.
	 * @return how many held calls were started
	 */
	int resume();

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
