/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * The settings of one offload pool, changed through {@link Offloader.Builder}. Each
 * setter validates its value at once and says what is wrong with it (the starter checks
 * the {@code bridge.offload} properties first, with messages that name the key). Not
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class PoolSpec {

	static final String DEFAULT_POOL = "default";

	static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofSeconds(30);

	private ThreadMode threads = ThreadMode.AUTO;

	private int maxConcurrency = 256;

	private int queueCapacity = 10_000;

	private Duration timeout = Duration.ZERO;

	private Duration stallThreshold = DEFAULT_STALL_THRESHOLD;

	private @Nullable Executor executor;

	PoolSpec() {
	}

	/**
	 * Sets the kind of thread the pool builds when no executor is given.
	 * @param threads the mode, {@link ThreadMode#AUTO} by default
	 * @return this spec
	 */
	public PoolSpec threads(ThreadMode threads) {
		this.threads = Objects.requireNonNull(threads, "threads");
		return this;
	}

	/**
	 * Sets how many calls may run at once.
	 * @param maxConcurrency a positive count, 256 by default
	 * @return this spec
	 */
	public PoolSpec maxConcurrency(int maxConcurrency) {
		if (maxConcurrency <= 0) {
			throw new IllegalArgumentException("maxConcurrency must be positive but was " + maxConcurrency);
		}
		this.maxConcurrency = maxConcurrency;
		return this;
	}

	/**
	 * Sets how many calls may wait for a free slot before new ones are rejected.
	 * @param queueCapacity zero or positive, 10,000 by default
	 * @return this spec
	 */
	public PoolSpec queueCapacity(int queueCapacity) {
		if (queueCapacity < 0) {
			throw new IllegalArgumentException("queueCapacity must not be negative but was " + queueCapacity);
		}
		this.queueCapacity = queueCapacity;
		return this;
	}

	/**
	 * Sets the bound of one call, queue wait included.
	 * @param timeout zero for none (the default), else positive
	 * @return this spec
	 */
	public PoolSpec timeout(Duration timeout) {
		this.timeout = checkTimeout(timeout);
		return this;
	}

	/**
	 * Sets how long a call may run before it is reported as stalled (once, with its
	 * stack, to the {@link OffloadStallListener}s, and counted). The call goes on: this
	 * only makes a hung call visible; {@link #timeout(Duration)} ends it.
	 * @param stallThreshold zero for no reports, else positive; 30 seconds by default
	 * @return this spec
	 */
	public PoolSpec stallThreshold(Duration stallThreshold) {
		this.stallThreshold = checkTimeout(stallThreshold);
		return this;
	}

	/**
	 * Checks a per-call timeout: zero or positive, and within what a scheduled timer can
	 * represent.
	 */
	static Duration checkTimeout(Duration timeout) {
		if (timeout.isNegative()) {
			throw new IllegalArgumentException("timeout must not be negative but was " + timeout);
		}
		try {
			timeout.toNanos();
		}
		catch (ArithmeticException ex) {
			throw new IllegalArgumentException(
					"timeout is too large: " + timeout + " does not fit in 64-bit nanoseconds (about 292 years)");
		}
		return timeout;
	}

	/**
	 * Sets the executor that runs admitted calls, instead of one the pool builds. The
	 * pool never submits more than its concurrency limit of tasks to it at once, and does
	 * not shut it down: its owner does.
	 * @param executor the executor, for example a Spring {@code TaskExecutor}
	 * @return this spec
	 */
	public PoolSpec executor(Executor executor) {
		this.executor = Objects.requireNonNull(executor, "executor");
		return this;
	}

	ThreadMode threads() {
		return this.threads;
	}

	int maxConcurrency() {
		return this.maxConcurrency;
	}

	int queueCapacity() {
		return this.queueCapacity;
	}

	Duration timeout() {
		return this.timeout;
	}

	Duration stallThreshold() {
		return this.stallThreshold;
	}

	@Nullable Executor executor() {
		return this.executor;
	}

}
