/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.List;

/**
 * Published when the JDK reports (through its {@code jdk.VirtualThreadPinned} event, Java
 * 21 and later) that a virtual thread running one of a pool's calls blocked while pinned
 * to its carrier thread, so that the carrier could run nothing else meanwhile. Immutable.
 *
 * @param pool the pool the call ran on
 * @param task the call's name (the annotated method when it came from one), or
 * {@code "unknown"} when the call had finished before the JDK reported the pinning (the
 * stack still shows where it happened)
 * @param thread the virtual thread's name
 * @param pinnedFor how long the thread blocked while pinned
 * @param stack where it blocked, innermost frame first (the JDK records at most 64
 * frames)
 * @param pinnedCount the pool's total count of reported pinnings, this one included
 * @since 0.1.0
 */
public record OffloadPinnedEvent(String pool, String task, String thread, Duration pinnedFor,
		List<StackTraceElement> stack, long pinnedCount) {

	/**
	 * Creates an event, copying the stack.
	 */
	public OffloadPinnedEvent {
		stack = List.copyOf(stack);
	}

}
