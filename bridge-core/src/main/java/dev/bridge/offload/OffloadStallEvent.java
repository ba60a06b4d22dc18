/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.List;

/**
 * Published once per offloaded call that runs longer than its pool's stall threshold (a
 * JDBC call without a socket timeout, a remote call without a read timeout): the call is
 * still running, and still holds one of the pool's slots. Immutable.
 *
 * @param pool the pool the call runs on
 * @param task the call's name (the annotated method when it came from one, see
 * {@link dev.bridge.context.TaskName})
 * @param thread the name of the thread running it
 * @param runningFor how long the call had run when the watchdog saw it
 * @param threshold the pool's stall threshold
 * @param stack the running thread's stack at that moment, innermost frame first
 * @param stallCount the pool's total stall count, this one included
 * @since 0.1.0
 */
public record OffloadStallEvent(String pool, String task, String thread, Duration runningFor, Duration threshold,
		List<StackTraceElement> stack, long stallCount) {

	/**
	 * Creates an event, copying the stack.
	 */
	public OffloadStallEvent {
		stack = List.copyOf(stack);
	}

}
