/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

import dev.bridge.lifecycle.JoinableThreadFactory;
import dev.bridge.offload.Offloader.ThreadMode;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The Spring executors that run the offload pools' admitted calls, built with Spring's
 * own classes and shut down when the context is destroyed, after the graceful shutdown
 * has drained or cancelled the calls. Threads are named {@code bridge-offload-<pool>-<n>}
 * and inherit no {@code InheritableThreadLocal}.
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
	 * Builds the executor of one pool.
	 * @param pool the pool's name
	 * @param threads the pool's thread mode
	 * @return the executor
	 */
	Executor create(String pool, ThreadMode threads) {
		String prefix = "bridge-offload-" + pool + "-";
		boolean virtual = threads == ThreadMode.VIRTUAL
				|| (threads == ThreadMode.AUTO && ThreadMode.virtualThreadsAvailable());
		if (virtual) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutorBuilder().threadNamePrefix(prefix)
				.cancelRemainingTasksOnClose(true)
				.taskTerminationTimeout(TERMINATION_TIMEOUT)
				.build();
			// Virtual threads that do not inherit the InheritableThreadLocals of the
			// caller whose call started them (Spring's own virtual threads would).
			executor.setThreadFactory(ThreadMode.virtualThreadFactory(prefix));
			this.executors.push(executor::close);
			return executor;
		}
		// The pool admits at most max-concurrency calls, so the executor needs no queue
		// of its own: a hand-off (SynchronousQueue) gives each call the thread that went
		// idle last, still warm, and starts a thread only when none is idle, so the pool
		// holds as many threads as calls have run at once, not max-concurrency from the
		// start. The thread count is not capped here: a worker frees its slot just before
		// it waits for the next call, so a call admitted in that window finds no idle
		// thread and gets a new one rather than a rejection. Idle threads end after the
		// keep-alive.
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutorBuilder().corePoolSize(0)
			.maxPoolSize(Integer.MAX_VALUE)
			.queueCapacity(0)
			.keepAlive(Duration.ofSeconds(60))
			.awaitTermination(true)
			.awaitTerminationPeriod(TERMINATION_TIMEOUT)
			.build();
		JoinableThreadFactory threadFactory = new JoinableThreadFactory(prefix);
		executor.setThreadFactory(threadFactory);
		executor.initialize();
		this.executors.push(() -> {
			executor.shutdown();
			threadFactory.join(TERMINATION_TIMEOUT);
		});
		return executor;
	}

	@Override
	public void destroy() throws Exception {
		while (!this.executors.isEmpty()) {
			this.executors.pop().close();
		}
	}

}
