/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

/**
 * Signalled when an offloaded call, queue wait included, ran past its timeout; the call
 * was cancelled (its thread interrupted when interrupt-on-cancel is on).
 *
 * @since 0.1.0
 */
public class OffloadTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	OffloadTimeoutException(String message) {
		super(message);
	}

}
