/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * The outcome of work that was still running or queued when a graceful shutdown's drain
 * budget ran out: Bridge cancelled it, and its caller receives this instead of waiting
 * forever.
 *
 * @since 0.1.0
 */
public class CancelledByShutdownException extends CancellationException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception for one cancelled task.
	 * @param component the loop or pool that cancelled it
	 * @param task the task's name
	 * @param drainBudget the drain budget that ran out
	 */
	public CancelledByShutdownException(String component, String task, Duration drainBudget) {
		super(task + " was cancelled by the shutdown of " + component
				+ ": it did not finish within the drain budget of " + drainBudget.toMillis()
				+ " ms (raise bridge.shutdown.timeout to let such work finish)");
	}

}
