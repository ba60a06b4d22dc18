/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.lifecycle;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown (or signalled) when work is submitted to a loop or pool that is shutting down or
 * shut down. Nothing of the refused work ran.
 *
 * @since 0.1.0
 */
public class ShuttingDownException extends RejectedExecutionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception for work refused by {@code component}.
	 * @param component the loop or pool name
	 * @param what the refused operation, for example {@code "call(Callable)"}
	 */
	public ShuttingDownException(String component, String what) {
		super("bridge is shutting down: " + component + " refused " + what
				+ "; submit work before the application context closes, or handle this exception as a shutdown signal");
	}

}
