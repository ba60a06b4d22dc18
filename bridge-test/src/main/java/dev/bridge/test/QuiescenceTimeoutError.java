/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

/**
 * Thrown when Bridge work is still in flight after a quiescence wait ran out. An
 * {@link AssertionError}, so test frameworks report it as a failed test; its message
 * lists every call still in flight with its method, pool or loop, age, thread and the top
 * of that thread's stack.
 *
 * @since 0.1.0
 */
public class QuiescenceTimeoutError extends AssertionError {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an error.
	 * @param message what is still in flight and what to do
	 */
	public QuiescenceTimeoutError(String message) {
		super(message);
	}

}
