/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown (or signalled) at once when an offload pool is at its concurrency limit and its
 * queue is full. The call did not run; the message names the pool and the properties to
 * raise.
 *
 * @since 0.1.0
 */
public class OffloadRejectedException extends RejectedExecutionException {

	private static final long serialVersionUID = 1L;

	private final String pool;

	OffloadRejectedException(String pool, String task, int limit, int queueCapacity) {
		super("offload pool '" + pool + "' is full (" + limit + " running, " + queueCapacity + " queued): rejected "
				+ task + "; raise bridge.offload.pools." + pool
				+ ".max-concurrency or .queue-capacity, or shed load upstream");
		this.pool = pool;
	}

	OffloadRejectedException(String pool, String task, Throwable executorFailure) {
		super("offload pool '" + pool + "' could not start " + task + ": its executor failed with " + executorFailure
				+ "; the call did not run and its slot was given back. Check the executor of bridge.offload.pools."
				+ pool + " (its thread limit, or whether it was shut down before Bridge)", executorFailure);
		this.pool = pool;
	}

	/**
	 * The pool that refused the call.
	 * @return the pool name
	 */
	public String getPool() {
		return this.pool;
	}

}
