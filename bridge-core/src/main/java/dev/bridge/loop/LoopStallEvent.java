/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.List;

/**
 * Published once per stall: a task ran on the loop for longer than the stall threshold.
 * Immutable.
 *
 * @param loopThread the loop thread's name
 * @param task the stalling task's name (the annotated method when it came from one), or
 * {@code "unnamed loop task"}
 * @param runningFor how long the task had run when the watchdog saw it
 * @param threshold the configured stall threshold
 * @param stack the loop thread's stack at that moment, innermost frame first
 * @param stallCount the loop's total stall count, this one included
 * @since 0.1.0
 */
public record LoopStallEvent(String loopThread, String task, Duration runningFor, Duration threshold,
		List<StackTraceElement> stack, long stallCount) {

	/**
	 * Creates an event, copying the stack.
	 */
	public LoopStallEvent {
		stack = List.copyOf(stack);
	}

	/**
	 * Told about each stall of a loop. Called after the stall log, one event after
	 * another, on a thread of the loop's own for its listeners (not the timer thread that
	 * times the loop's delays), so a slow one delays only the next events; an exception
	 * thrown by one is logged and does not affect others.
	 *
	 * @since 0.1.0
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Called once per stall.
		 * @param event what stalled, for how long, and the loop thread's stack
		 */
		void onStall(LoopStallEvent event);

	}

}
