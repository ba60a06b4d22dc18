/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import org.jspecify.annotations.Nullable;

/**
 * Sees each offloaded call's three moments, for timers with distributions and for traces
 * (the starter builds one over Micrometer's {@code Timer}s and {@code Observation}s).
 * Called on the call's own path, so implementations must be quick and must not throw.
 *
 * @since 0.1.0
 */
public interface OffloadCallObserver {

	/**
	 * The call was admitted; called on the caller's thread, under the caller's context.
	 * @param pool the pool's name
	 * @param task the call's name (the annotated method when it came from one)
	 * @return state handed to the two other methods, or {@code null}
	 */
	@Nullable Object submitted(String pool, String task);

	/**
	 * The call's body is about to run; called on the worker thread, under the caller's
	 * restored context.
	 * @param state what {@link #submitted} returned
	 * @param queueWaitNanos how long the call waited in the pool's queue for a slot, or
	 * -1 when it got one at once
	 * @return closed when the body has run (a scope, say), or {@code null}
	 */
	@Nullable AutoCloseable started(@Nullable Object state, long queueWaitNanos);

	/**
	 * The call ended, however it ended (a call cancelled before it started included).
	 * @param state what {@link #submitted} returned
	 * @param outcome {@code success}, {@code error}, {@code cancelled}, or
	 * {@code rejected} when the pool refused it at admission (full, or shutting down)
	 * @param ranNanos how long the body ran (zero when it never started)
	 * @param error the body's exception or the cancel's reason, {@code null} on success
	 */
	void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error);

}
