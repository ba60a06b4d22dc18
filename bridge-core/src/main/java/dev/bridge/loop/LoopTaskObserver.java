/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import org.jspecify.annotations.Nullable;

/**
 * Sees each piece of work the loop runner runs through its API, for timers with
 * distributions (the starter records {@code bridge.loop.tasks} with it) and for traces
 * (the starter's {@code bridge.loop.call} observations). Called on the work's own path,
 * so implementations must be quick and must not throw. Only
 * {@link #finished(String, long)} must be implemented; the other methods do nothing by
 * default.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LoopTaskObserver {

	/**
	 * The work is about to be handed to the loop; called on the caller's thread, under
	 * the caller's context.
	 * @param task the work's name (the annotated method when it came from one)
	 * @return state handed to {@link #started(Object)} and
	 * {@link #finished(Object, String, long, Throwable)}, or {@code null}
	 */
	default @Nullable Object submitted(String task) {
		return null;
	}

	/**
	 * The work is about to start on the loop; called on the loop thread, under the
	 * caller's restored context.
	 * @param state what {@link #submitted} returned
	 * @return closed once the work has started (a scope, say), or {@code null}
	 */
	default @Nullable AutoCloseable started(@Nullable Object state) {
		return null;
	}

	/**
	 * The work ended, however it ended. By default calls {@link #finished(String, long)}
	 * unless the outcome is {@code rejected} (work the runner refused is not counted).
	 * @param state what {@link #submitted} returned
	 * @param outcome {@code success}, {@code error}, {@code cancelled} (its caller, a
	 * timeout or shutdown), or {@code rejected} when the runner refused it at admission
	 * (shut down)
	 * @param ranNanos how long it ran on the loop (zero when it never started)
	 * @param error the work's exception or the cancel's reason, {@code null} on success
	 */
	default void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
		if (!"rejected".equals(outcome)) {
			finished(outcome, ranNanos);
		}
	}

	/**
	 * The work ended.
	 * @param outcome {@code success}, {@code error} or {@code cancelled} (its caller, a
	 * timeout or shutdown)
	 * @param ranNanos how long it ran on the loop (zero when it never started)
	 */
	void finished(String outcome, long ranNanos);

}
