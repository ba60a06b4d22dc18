/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import reactor.core.scheduler.Schedulers;

/**
 * A {@link CompletableFuture} whose blocking waits ({@code get} and {@code join}) fail at
 * once with a {@link LoopDeadlockException} when called, before the future is done, on a
 * non-blocking thread (a Bridge loop or a Netty event loop), instead of blocking that
 * thread — forever when the result is to be delivered on that same thread, as Bridge
 * delivers results awaited from its loop. Waiting for a future that is already done is
 * allowed everywhere. Futures derived from this one ({@code thenApply},
 * {@code thenCompose}, ...) are guarded the same way.
 * <p>
 * Bridge returns these from {@link LoopRunner#submit}, from the {@code Offloader} and
 * from annotated methods declared to return a {@code CompletableFuture}.
 *
 * @param <T> the result type
 * @since 0.1.0
 */
public class GuardedFuture<T> extends CompletableFuture<T> {

	private final String name;

	/**
	 * Creates an incomplete future.
	 * @param name what the future is the result of, for the guard's message (for example
	 * a task name such as {@code OrderService.find})
	 */
	public GuardedFuture(String name) {
		this.name = name;
	}

	@Override
	public T get() throws InterruptedException, ExecutionException {
		guard("get()");
		return super.get();
	}

	@Override
	public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
		guard("get(timeout)");
		return super.get(timeout, unit);
	}

	@Override
	public T join() {
		guard("join()");
		return super.join();
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new GuardedFuture<>(this.name);
	}

	private void guard(String operation) {
		if (!isDone() && Schedulers.isInNonBlockingThread()) {
			throw new LoopDeadlockException(operation + " on the future of " + this.name
					+ " was called on the non-blocking thread '" + Thread.currentThread().getName()
					+ "' before the future completed; waiting would block that thread, and forever if the result "
					+ "is delivered on it. Compose instead (thenApply/thenCompose/whenComplete, or Mono.fromFuture) "
					+ "and return the result, or move the waiting code to an offload pool (@OffloadBlocking)");
		}
	}

}
