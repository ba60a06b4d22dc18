/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

/**
 * Sees each piece of work the loop runner ran through its API end, for timers with
 * distributions (the starter records {@code bridge.loop.tasks} with it). Called on
 * whichever thread ended the work, so implementations must be quick and must not throw.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LoopTaskObserver {

	/**
	 * The work ended.
	 * @param outcome {@code success}, {@code error} or {@code cancelled} (its caller, a
	 * timeout or shutdown)
	 * @param ranNanos how long it ran on the loop (zero when it never started)
	 */
	void finished(String outcome, long ranNanos);

}
