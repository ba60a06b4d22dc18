/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.concurrent.TimeoutException;

/**
 * Thrown to a caller whose wait for loop work ran past its timeout; the work was
 * cancelled.
 * <p>
 * It is unchecked, so synchronous callers need not declare it. Its cause is a
 * {@link TimeoutException}, so code that classifies failures by that JDK type through the
 * cause chain (retry or circuit-breaker predicates, for example) sees a timeout. A
 * Reactor pipeline handles it by its own type,
 * {@code onErrorResume(LoopTimeoutException.class, ..)}:
 * {@code onErrorResume(TimeoutException.class, ..)} matches the error itself only.
 *
 * @since 0.1.0
 */
public class LoopTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	LoopTimeoutException(String message) {
		super(message, new TimeoutException("the loop work ran past its timeout"));
	}

}
