/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import dev.bridge.loop.GuardedFuture;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * One admitted call: a {@link FutureTask} (whose cancel-with-interrupt is race-free) that
 * hands its outcome to the caller's {@link Result} future, on the caller's loop when it
 * has one.
 */
final class OffloadTask<T> extends FutureTask<T> {

	final String name;

	final OffloadPool pool;

	final Result<T> result;

	private final @Nullable Scheduler resumeOn;

	private final boolean interruptOnCancel;

	final long created = System.nanoTime();

	volatile long started;

	/** When the call entered the pool's queue, or 0 when it never waited there. */
	volatile long queuedAt;

	private volatile @Nullable Throwable cancelReason;

	volatile @Nullable Disposable timeout;

	OffloadTask(String name, OffloadPool pool, Callable<T> body, @Nullable Scheduler resumeOn,
			boolean interruptOnCancel) {
		super(body);
		this.name = name;
		this.pool = pool;
		this.resumeOn = resumeOn;
		this.interruptOnCancel = interruptOnCancel;
		this.result = new Result<>(this);
	}

	@Override
	public void run() {
		this.started = System.nanoTime();
		super.run();
	}

	/**
	 * Cancels the call with {@code reason} as the caller's error, interrupting a running
	 * body when configured to.
	 */
	boolean cancel(Throwable reason) {
		this.cancelReason = reason;
		boolean cancelled = super.cancel(this.interruptOnCancel);
		if (cancelled) {
			this.pool.dequeue(this);
		}
		return cancelled;
	}

	@Override
	protected void done() {
		Disposable timer = this.timeout;
		if (timer != null) {
			timer.dispose();
		}
		long ran = (this.started != 0) ? System.nanoTime() - this.started : 0;
		if (isCancelled()) {
			Throwable reason = this.cancelReason;
			this.pool.finished(this, OffloadPool.Outcome.CANCELLED, ran);
			deliver(null, (reason != null) ? reason : new CancellationException(this.name + " was cancelled"));
			return;
		}
		try {
			T value = get();
			this.pool.finished(this, OffloadPool.Outcome.COMPLETED, ran);
			deliver(value, null);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			this.pool.finished(this, OffloadPool.Outcome.FAILED, ran);
			deliver(null, cause);
		}
		catch (InterruptedException | CancellationException ex) {
			// Not reachable: done() runs after completion, so get() neither waits nor
			// sees a cancel.
			deliver(null, ex);
		}
	}

	private void deliver(@Nullable T value, @Nullable Throwable error) {
		Scheduler loop = this.resumeOn;
		if (loop == null) {
			this.result.settle(value, error);
			return;
		}
		try {
			loop.schedule(() -> this.result.settle(value, error));
		}
		catch (RuntimeException ex) {
			// The caller's loop is shut down: deliver here rather than lose the outcome.
			this.result.settle(value, error);
		}
	}

	/**
	 * The caller's view of the call: cancelling it cancels the call, and waiting on it is
	 * deadlock-guarded.
	 */
	static final class Result<T> extends GuardedFuture<T> {

		private final OffloadTask<T> task;

		Result(OffloadTask<T> task) {
			super("offloaded " + task.name + " (pool '" + task.pool.name + "')");
			this.task = task;
		}

		void settle(@Nullable T value, @Nullable Throwable error) {
			if (error == null) {
				complete(value);
			}
			else {
				completeExceptionally(error);
			}
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = super.cancel(mayInterruptIfRunning);
			if (cancelled) {
				this.task.cancel(new CancellationException(this.task.name + " was cancelled by its caller"));
			}
			return cancelled;
		}

	}

}
