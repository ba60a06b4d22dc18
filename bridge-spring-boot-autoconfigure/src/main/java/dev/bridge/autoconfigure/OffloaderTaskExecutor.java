/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import dev.bridge.offload.Offloader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskRejectedException;

/**
 * The {@code bridgeTaskExecutor}: a Spring {@link AsyncTaskExecutor} over an offload
 * pool, so code that wants an executor ({@code @Async("bridgeTaskExecutor")},
 * {@code CompletableFuture.supplyAsync(.., executor)}) gets the pool's limits, metrics,
 * shutdown drain and the caller's context. A task the pool refuses fails with a
 * {@link TaskRejectedException}; a task that throws is logged. Thread-safe.
 */
final class OffloaderTaskExecutor implements AsyncTaskExecutor {

	private static final Log logger = LogFactory.getLog(OffloaderTaskExecutor.class);

	private static final String NAME = "bridgeTaskExecutor";

	private final Offloader offloader;

	private final Offloader calls;

	OffloaderTaskExecutor(Offloader offloader) {
		this.offloader = offloader;
		this.calls = offloader.named(NAME);
	}

	@Override
	public void execute(Runnable task) {
		start(Executors.callable(task)).whenComplete((ignored, failure) -> {
			if (failure != null && !(failure instanceof CancellationException)) {
				logger.warn(
						"Task " + LogSafe.text(task) + " submitted to " + NAME + " failed: " + LogSafe.text(failure),
						LogSafe.throwable(failure));
			}
		});
	}

	@Override
	public Future<?> submit(Runnable task) {
		return start(Executors.callable(task));
	}

	@Override
	public <T> Future<T> submit(Callable<T> task) {
		return start(task);
	}

	@Override
	public CompletableFuture<Void> submitCompletable(Runnable task) {
		return start(Executors.callable(task, null));
	}

	@Override
	public <T> CompletableFuture<T> submitCompletable(Callable<T> task) {
		return start(task);
	}

	private <T> CompletableFuture<T> start(Callable<T> task) {
		try {
			return this.calls.future(task);
		}
		catch (RejectedExecutionException ex) {
			throw new TaskRejectedException(NAME + " did not accept " + task + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public String toString() {
		return NAME + "[" + this.offloader + "]";
	}

}
