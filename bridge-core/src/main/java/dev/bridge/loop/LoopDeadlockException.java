/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

/**
 * Thrown at once, instead of hanging, when a caller would wait for the loop on a thread
 * that must never wait: the loop thread itself, or another non-blocking thread such as a
 * Netty event loop. The message names the thread and says what to do instead.
 *
 * @since 0.1.0
 */
public class LoopDeadlockException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	LoopDeadlockException(String message) {
		super(message);
	}

}
