/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import org.jspecify.annotations.Nullable;

/**
 * Work a runner accepted and must see finish, or cancel at shutdown.
 */
abstract class TrackedWork {

	final String name;

	final long created = System.nanoTime();

	/**
	 * What the runner's task observer returned when the work was submitted; set on the
	 * caller's thread before the work is handed to the loop.
	 */
	@Nullable Object observation;

	/** Where the work is in its runner's {@link LoopGate}; moved by the gate only. */
	volatile int gateState;

	TrackedWork(String name) {
		this.name = name;
	}

	/**
	 * Ends the work with {@code reason} unless it already ended; the caller sees the
	 * reason.
	 * @return whether this call ended it
	 */
	abstract boolean cancel(Throwable reason);

	@Override
	public String toString() {
		return this.name;
	}

}
