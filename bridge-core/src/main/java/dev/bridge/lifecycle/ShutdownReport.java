/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.time.Duration;
import java.util.List;

/**
 * What a loop runner or an offloader did with the work it had in flight when it began
 * shutting down ({@code finishShutdown(Duration)}). Immutable.
 *
 * @param component the loop or pool name, as it appears in logs
 * @param drained how many in-flight tasks finished on their own within the drain budget
 * @param cancelled how many were cancelled when the budget ran out
 * @param oldestCancelled names of the oldest cancelled tasks (at most five), oldest first
 * @param took how long the shutdown took
 * @since 0.1.0
 */
public record ShutdownReport(String component, int drained, int cancelled, List<String> oldestCancelled,
		Duration took) {

	/**
	 * Creates a report, copying the list.
	 */
	public ShutdownReport {
		oldestCancelled = List.copyOf(oldestCancelled);
	}

	/**
	 * The report of a component that had nothing to drain.
	 * @param component its name
	 * @return a report with nothing drained or cancelled
	 */
	public static ShutdownReport nothingToDrain(String component) {
		return new ShutdownReport(component, 0, 0, List.of(), Duration.ZERO);
	}

	/**
	 * A one-line summary for logs.
	 * @return a summary such as
	 * {@code "bridge-loop: drained 3, cancelled 1 [Orders.find] in 30002 ms"}
	 */
	public String summary() {
		return this.component + ": drained " + this.drained + ", cancelled " + this.cancelled
				+ (this.oldestCancelled.isEmpty() ? "" : " " + this.oldestCancelled) + " in " + this.took.toMillis()
				+ " ms";
	}

}
