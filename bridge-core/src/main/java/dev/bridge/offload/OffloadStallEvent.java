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
 * {@link Offloader#named(String)})
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

	/**
	 * Told about offloaded calls that run past their pool's stall threshold, and about
	 * virtual threads of the pools that block while pinned to their carrier. Called on
	 * Bridge's watchdog thread (stalls) or the JDK's event-stream thread (pinnings), so
	 * implementations should be quick; an exception thrown by one is logged and does not
	 * affect others.
	 *
	 * @since 0.1.0
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Called once per call that runs past its pool's stall threshold, while it still
		 * runs.
		 * @param event the call, how long it has run, and its thread's stack
		 */
		void onStall(OffloadStallEvent event);

		/**
		 * Called for each pinning the JDK reports for one of the pools' virtual threads.
		 * Does nothing by default.
		 * @param event the call, how long it blocked while pinned, and where
		 */
		default void onPinned(Pinned event) {
		}

	}

	/**
	 * Published when the JDK reports (through its {@code jdk.VirtualThreadPinned} event,
	 * Java 21 and later) that a virtual thread running one of a pool's calls blocked
	 * while pinned to its carrier thread, so that the carrier could run nothing else
	 * meanwhile. Immutable.
	 *
	 * @param pool the pool the call ran on
	 * @param task the call's name (the annotated method when it came from one), or
	 * {@code "unknown"} when the call had finished before the JDK reported the pinning
	 * (the stack still shows where it happened)
	 * @param thread the virtual thread's name
	 * @param pinnedFor how long the thread blocked while pinned
	 * @param stack where it blocked, innermost frame first (the JDK records at most 64
	 * frames)
	 * @param pinnedCount the pool's total count of reported pinnings, this one included
	 * @since 0.1.0
	 */
	public record Pinned(String pool, String task, String thread, Duration pinnedFor, List<StackTraceElement> stack,
			long pinnedCount) {

		/**
		 * Creates an event, copying the stack.
		 */
		public Pinned {
			stack = List.copyOf(stack);
		}

	}

}
