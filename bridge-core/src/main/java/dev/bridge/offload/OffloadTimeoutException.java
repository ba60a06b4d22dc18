/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.concurrent.TimeoutException;

/**
 * Signalled when an offloaded call, queue wait included, ran past its timeout; the call
 * was cancelled (its thread interrupted when interrupt-on-cancel is on).
 * <p>
 * It is unchecked, so synchronous callers need not declare it. Its cause is a
 * {@link TimeoutException}, so code that classifies failures by that JDK type through the
 * cause chain (retry or circuit-breaker predicates, for example) sees a timeout. A
 * Reactor pipeline handles it by its own type,
 * {@code onErrorResume(OffloadTimeoutException.class, ..)}:
 * {@code onErrorResume(TimeoutException.class, ..)} matches the error itself only.
 *
 * @since 0.1.0
 */
public class OffloadTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	OffloadTimeoutException(String message) {
		super(message, new TimeoutException("the offloaded call ran past its timeout"));
	}

}
