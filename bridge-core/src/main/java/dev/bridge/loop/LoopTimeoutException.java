/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

/**
 * Thrown to a caller whose wait for loop work ran past its timeout; the work was
 * cancelled.
 *
 * @since 0.1.0
 */
public class LoopTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	LoopTimeoutException(String message) {
		super(message);
	}

}
