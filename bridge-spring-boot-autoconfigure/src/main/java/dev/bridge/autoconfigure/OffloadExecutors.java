/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

import dev.bridge.offload.Offloader.ThreadMode;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The Spring executors that run the admitted calls of the offload pools on virtual
 * threads, built with Spring's own classes and shut down when the context is destroyed,
 * after the graceful shutdown has drained or cancelled the calls. Threads are named
 * {@code bridge-offload-<pool>-<n>} and inherit no {@code InheritableThreadLocal}.
 * <p>
 * The executors are deliberately not decorated with a context-propagating decorator: the
 * offloader captures the caller's context itself when the call is made, while a decorator
 * would capture it when a queued call is finally handed over, on another thread. Not
 * thread-safe; used while the context starts and stops.
 */
final class OffloadExecutors implements DisposableBean {

	/** How long a shutdown waits for threads still finishing a cancelled call. */
	private static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(1);

	private final Deque<AutoCloseable> executors = new ArrayDeque<>();

	/**
	 * Builds the executor of one pool when it runs on virtual threads.
	 * @param pool the pool's name
	 * @param threads the pool's thread mode
	 * @return the executor, or {@code null} for a platform pool, whose threads the
	 * offloader builds itself
	 */
	@Nullable Executor create(String pool, ThreadMode threads) {
		boolean virtual = threads == ThreadMode.VIRTUAL
				|| (threads == ThreadMode.AUTO && ThreadMode.virtualThreadsAvailable());
		if (!virtual) {
			// A platform pool's threads are the offloader's own: a cached pool of daemon
			// threads behind a hand-off, joined at shutdown.
			return null;
		}
		String prefix = "bridge-offload-" + pool + "-";
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutorBuilder().threadNamePrefix(prefix)
			.cancelRemainingTasksOnClose(true)
			.taskTerminationTimeout(TERMINATION_TIMEOUT)
			.build();
		// Virtual threads that do not inherit the InheritableThreadLocals of the caller
		// whose call started them (Spring's own virtual threads would).
		executor.setThreadFactory(ThreadMode.virtualThreadFactory(prefix));
		this.executors.push(executor::close);
		return executor;
	}

	@Override
	public void destroy() throws Exception {
		while (!this.executors.isEmpty()) {
			this.executors.pop().close();
		}
	}

}
