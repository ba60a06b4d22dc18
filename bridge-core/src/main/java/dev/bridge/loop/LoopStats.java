/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;

/**
 * A point-in-time snapshot of a {@link LoopRunner}'s health and counters. Immutable.
 * Counters cover work submitted through the runner's API (not raw scheduler tasks) and
 * only grow.
 *
 * @param name the loop thread's name
 * @param alive whether the loop thread is running and accepting work (running or paused)
 * @param lag the scheduling delay of the last heartbeat, or the age of a heartbeat still
 * waiting to run, whichever is larger
 * @param pending tasks queued on the loop, not yet started
 * @param inFlight accepted work not yet finished, held work included
 * @param completed work that finished with a value or empty
 * @param completedTime total run time of completed work
 * @param failed work that finished with an error
 * @param failedTime total run time of failed work
 * @param cancelled work that was cancelled (by its caller, a timeout or shutdown)
 * @param cancelledTime total run time of cancelled work
 * @param stalls tasks that ran past the stall threshold
 * @param currentTaskAge how long the task running on the loop right now has run, zero
 * when idle
 * @param state what the runner does with new work: runs it, holds it (paused), refuses it
 * (shut down), or cannot run it (its thread died)
 * @param held work accepted while paused, waiting for the runner to resume
 * @since 0.1.0
 */
public record LoopStats(String name, boolean alive, Duration lag, int pending, long inFlight, long completed,
		Duration completedTime, long failed, Duration failedTime, long cancelled, Duration cancelledTime, long stalls,
		Duration currentTaskAge, State state, int held) {

	/**
	 * What a loop runner does with new work.
	 */
	public enum State {

		/** Runs it. */
		RUNNING,

		/**
		 * Holds it until resumed: its application context is stopped or paused. Work in
		 * flight goes on.
		 */
		PAUSED,

		/** Refuses it: the runner is shut down, for good. */
		SHUT_DOWN,

		/** Cannot run it: the loop thread died. */
		DEAD

	}

}
