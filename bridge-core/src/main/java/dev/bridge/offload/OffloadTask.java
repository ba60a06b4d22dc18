/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import dev.bridge.loop.LoopDeadlockException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One admitted call: a {@link FutureTask} (whose cancel-with-interrupt is race-free) that
 * hands its outcome to the caller's {@link Result} future, on the caller's loop when it
 * has one.
 */
final class OffloadTask<T> extends FutureTask<T> {

	private static final Logger logger = LoggerFactory.getLogger(OffloadTask.class);

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<OffloadTask, Throwable> CANCEL_REASON = AtomicReferenceFieldUpdater
		.newUpdater(OffloadTask.class, Throwable.class, "cancelReason");

	/**
	 * The call running on this thread, to tell a nested call's cancel from its caller's.
	 */
	private static final ThreadLocal<@Nullable OffloadTask<?>> RUNNING = new ThreadLocal<>();

	final String name;

	final OffloadPool pool;

	final Result<T> result;

	private final @Nullable Scheduler resumeOn;

	private final boolean interruptOnCancel;

	final long created = System.nanoTime();

	volatile long started;

	/** The thread running the call, once it started. */
	volatile @Nullable Thread thread;

	/** Who sees the call's start and end, if anyone; set before it is submitted. */
	Offloader.@Nullable CallObserver observer;

	/** What the observer returned when the call was submitted. */
	@Nullable Object observation;

	/**
	 * Whether the watchdog reported the call as stalled (read and written only there).
	 */
	boolean stallReported;

	/** When the call entered the pool's queue, or 0 when it never waited there. */
	volatile long queuedAt;

	@SuppressWarnings("unused") // written through CANCEL_REASON
	private volatile @Nullable Throwable cancelReason;

	volatile @Nullable Disposable timeout;

	/** The call's timeout in milliseconds, 0 for none. */
	private final long timeoutMillis;

	/**
	 * The setting the timeout came from, for the error of a call that ran past it
	 * ({@link #poolTimeout}, {@link #CALL_TIMEOUT}).
	 */
	private final String timeoutSource;

	/** Times the call's timeout. */
	private final Scheduler clock;

	OffloadTask(String name, OffloadPool pool, Callable<T> body, @Nullable Scheduler resumeOn,
			boolean interruptOnCancel, long timeoutMillis) {
		this(name, pool, body, resumeOn, interruptOnCancel, timeoutMillis, poolTimeout(pool), Schedulers.parallel());
	}

	OffloadTask(String name, OffloadPool pool, Callable<T> body, @Nullable Scheduler resumeOn,
			boolean interruptOnCancel, long timeoutMillis, String timeoutSource, Scheduler clock) {
		super(body);
		this.clock = clock;
		this.timeoutSource = timeoutSource;
		this.name = name;
		this.pool = pool;
		this.resumeOn = resumeOn;
		this.interruptOnCancel = interruptOnCancel;
		this.timeoutMillis = timeoutMillis;
		this.result = new Result<>(this);
	}

	@Override
	public void run() {
		this.thread = Thread.currentThread();
		this.started = System.nanoTime();
		OffloadTask<?> outer = RUNNING.get();
		RUNNING.set(this);
		try {
			super.run();
		}
		finally {
			RUNNING.set(outer);
		}
	}

	/**
	 * What to raise when a call ran past a timeout given to
	 * {@link Offloader#timeout(java.time.Duration)}: that timeout, not its pool's, which
	 * did not apply.
	 */
	static final String CALL_TIMEOUT = "the timeout given to Offloader.timeout(Duration) (for an @OffloadBlocking "
			+ "method, its timeout attribute)";

	/**
	 * What to raise when a call ran past its pool's timeout: the pool's setting, or the
	 * {@code @OffloadBlocking} method's own timeout.
	 * @param pool the call's pool
	 * @return the advice
	 */
	static String poolTimeout(OffloadPool pool) {
		return "bridge.offload.pools." + pool.name + ".timeout or the @OffloadBlocking timeout";
	}

	/** The call running on the current thread, if any. */
	static @Nullable OffloadTask<?> running() {
		return RUNNING.get();
	}

	/**
	 * Starts the call's timeout, if it has one. Called once the pool admitted the call
	 * and before it can start. The timer only cancels the call: the outcome reaches the
	 * caller on another thread ({@link #deliver}).
	 */
	void armTimeout() {
		if (this.timeoutMillis == 0) {
			return;
		}
		Disposable timer = this.clock.schedule(
				() -> cancel(new OffloadTimeoutException(this.name + " on offload pool '" + this.pool.name
						+ "' did not finish within " + this.timeoutMillis
						+ " ms (queue wait included) and was cancelled; raise " + this.timeoutSource)),
				this.timeoutMillis, TimeUnit.MILLISECONDS);
		this.timeout = timer;
		// done() disposes the timer it sees; a call that ended before the assignment
		// above did not see it, so dispose it here. Both fields are volatile: one of the
		// two always sees the other.
		if (isDone()) {
			timer.dispose();
		}
	}

	/**
	 * Restarts the call's timeout from now: a scheduler's worker runs its tasks as one
	 * call, and the timeout bounds each task ({@link PoolScheduler}).
	 */
	void rearmTimeout() {
		disarmTimeout();
		armTimeout();
	}

	/** Stops the timeout of a call that was refused after it was armed. */
	void disarmTimeout() {
		Disposable timer = this.timeout;
		if (timer != null) {
			timer.dispose();
		}
	}

	/**
	 * Cancels the call with {@code reason} as the caller's error, interrupting a running
	 * body when configured to. Of racing cancels, the one that claims the reason first is
	 * the only one that can cancel, so the cancel that reports success is the one whose
	 * reason the caller sees.
	 * @return whether this cancel ended the call
	 */
	boolean cancel(Throwable reason) {
		if (!CANCEL_REASON.compareAndSet(this, null, reason)) {
			return false;
		}
		boolean cancelled = super.cancel(this.interruptOnCancel);
		if (cancelled) {
			this.pool.dequeue(this);
		}
		return cancelled;
	}

	/**
	 * Claims the call's one end for its refusal by a full pool, after it was admitted,
	 * without ending it: a cancel racing it then fails.
	 * @param reason the refusal
	 * @return whether claimed; false when a cancel (the caller's, the timeout's, the
	 * shutdown's) claimed it first, and its outcome is that cancel's
	 */
	boolean claimRefusal(Throwable reason) {
		return CANCEL_REASON.compareAndSet(this, null, reason);
	}

	/**
	 * Ends a call claimed by {@link #claimRefusal}, with the refusal as its outcome.
	 */
	void endRefused() {
		if (super.cancel(false)) {
			this.pool.dequeue(this);
		}
	}

	/**
	 * An outcome reached on the thread running the call, held until that thread has freed
	 * the call's slot ({@link #deliverPending}); read and written on that thread only.
	 */
	private @Nullable Object pendingValue;

	private @Nullable Throwable pendingError;

	private boolean pending;

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
			observed("cancelled", ran, reason);
			deliverOrHold(null, (reason != null) ? reason : new CancellationException(this.name + " was cancelled"));
			return;
		}
		try {
			T value = get();
			this.pool.finished(this, OffloadPool.Outcome.COMPLETED, ran);
			observed("success", ran, null);
			deliverOrHold(value, null);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			this.pool.finished(this, OffloadPool.Outcome.FAILED, ran);
			observed("error", ran, cause);
			deliverOrHold(null, cause);
		}
		catch (InterruptedException | CancellationException ex) {
			// Not reachable: done() runs after completion, so get() neither waits nor
			// sees a cancel.
			deliverOrHold(null, ex);
		}
	}

	private void observed(String outcome, long ranNanos, @Nullable Throwable error) {
		Offloader.CallObserver observer = this.observer;
		if (observer != null) {
			try {
				observer.finished(this.observation, outcome, ranNanos, error);
			}
			catch (RuntimeException ex) {
				// The call's outcome must still reach its caller, and its worker go on.
				logger.warn("The call observer {} failed on the end of {} (pool '{}'); the call's outcome is "
						+ "delivered regardless: {}", observer, this.name, this.pool.name, ex.toString());
			}
		}
	}

	/**
	 * Settles the caller's future, on this thread, with the outcome the call has or is
	 * about to have: for a cancel that lost the race, whose call another end (its body,
	 * its timeout, the shutdown, a refusal) has claimed, and which that end publishes
	 * within an instant. The same outcome's own delivery is then a no-op.
	 */
	void settleWithOutcome() {
		while (!isDone()) {
			Thread.onSpinWait();
		}
		if (isCancelled()) {
			Throwable reason = this.cancelReason;
			this.result.settle(null,
					(reason != null) ? reason : new CancellationException(this.name + " was cancelled"));
			return;
		}
		try {
			this.result.settle(get(), null);
		}
		catch (ExecutionException ex) {
			this.result.settle(null, (ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (InterruptedException | CancellationException ex) {
			// Not reachable: the call is done and not cancelled, so get() neither waits
			// nor sees a cancel.
			this.result.settle(null, ex);
		}
	}

	/**
	 * Delivers the outcome now, or, on the thread running the call, holds it for
	 * {@link #deliverPending}.
	 */
	private void deliverOrHold(@Nullable T value, @Nullable Throwable error) {
		if (RUNNING.get() == this) {
			this.pendingValue = value;
			this.pendingError = error;
			this.pending = true;
			return;
		}
		deliver(value, error);
	}

	/**
	 * Delivers an outcome held by {@link #deliverOrHold}; called by the thread that ran
	 * the call, after it ran.
	 */
	@SuppressWarnings("unchecked")
	void deliverPending() {
		if (this.pending) {
			this.pending = false;
			T value = (T) this.pendingValue;
			Throwable error = this.pendingError;
			this.pendingValue = null;
			this.pendingError = null;
			deliver(value, error);
		}
	}

	private void deliver(@Nullable T value, @Nullable Throwable error) {
		Scheduler loop = this.resumeOn;
		if (loop == null) {
			if (Schedulers.isInNonBlockingThread() && !this.result.isDone()) {
				// Ended by a timer (a timeout) or on an event loop: the caller's
				// continuations must neither run on a non-blocking thread nor hold up
				// the shared timer, so they run on a thread that may block.
				settleOn(Schedulers.boundedElastic(), value, error);
				return;
			}
			this.result.settle(value, error);
			return;
		}
		settleOn(loop, value, error);
	}

	private void settleOn(Scheduler scheduler, @Nullable T value, @Nullable Throwable error) {
		try {
			scheduler.schedule(() -> this.result.settle(value, error));
		}
		catch (RuntimeException ex) {
			// The scheduler is shut down: deliver here rather than lose the outcome.
			this.result.settle(value, error);
		}
	}

	/**
	 * A future of a pool's call, or one derived from it ({@code thenApply}, ...): waiting
	 * on it is deadlock-guarded, and a wait on a thread that may block first spins
	 * briefly when the pool's calls are short ({@link OffloadPool#awaitBriefly}).
	 */
	static class Awaited<T> extends CompletableFuture<T> {

		private final String description;

		private final OffloadPool pool;

		Awaited(String description, OffloadPool pool) {
			this.description = description;
			this.pool = pool;
		}

		@Override
		public T get() throws InterruptedException, ExecutionException {
			this.pool.awaitBriefly(this);
			LoopDeadlockException.refuseWaitOnNonBlockingThread(this, "get()", this.description);
			return super.get();
		}

		@Override
		public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
			this.pool.awaitBriefly(this);
			LoopDeadlockException.refuseWaitOnNonBlockingThread(this, "get(timeout)", this.description);
			return super.get(timeout, unit);
		}

		@Override
		public T join() {
			this.pool.awaitBriefly(this);
			LoopDeadlockException.refuseWaitOnNonBlockingThread(this, "join()", this.description);
			return super.join();
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new Awaited<>(this.description, this.pool);
		}

	}

	/**
	 * The caller's view of the call: cancelling it cancels the call.
	 */
	static final class Result<T> extends Awaited<T> {

		private final OffloadTask<T> task;

		Result(OffloadTask<T> task) {
			super("offloaded " + task.name + " (pool '" + task.pool.name + "')", task.pool);
			this.task = task;
		}

		OffloadTask<T> task() {
			return this.task;
		}

		void settle(@Nullable T value, @Nullable Throwable error) {
			if (error == null) {
				complete(value);
			}
			else {
				completeExceptionally(error);
			}
		}

		// A worker of the call's own pool that waits for the call while it is queued
		// may hold the slot it waits for: it runs the call instead
		// (OffloadPool.runIfQueued).

		@Override
		public T get() throws InterruptedException, ExecutionException {
			this.task.pool.runIfQueued(this.task);
			return super.get();
		}

		@Override
		public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
			this.task.pool.runIfQueued(this.task);
			return super.get(timeout, unit);
		}

		@Override
		public T join() {
			this.task.pool.runIfQueued(this.task);
			return super.join();
		}

		/**
		 * Cancels the call, unless its body has already ended or another cancel (its
		 * timeout, the shutdown) ended it first: then this future gets that outcome here
		 * and now (it may still be on its way, held until the worker frees its slot or
		 * handed to the caller's loop), so that it is done when this returns, as
		 * {@code Future.cancel} promises, and this returns whether it is a cancellation,
		 * so the caller sees what the pool, the observer and the shutdown report count.
		 */
		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			boolean cancelled = this.task
				.cancel(new CancellationException(this.task.name + " was cancelled by its caller"));
			if (!cancelled) {
				// Its body ended, or its timeout, the shutdown or a refusal ended
				// it first: that outcome stands. Waiting for its delivery could wait
				// for this very thread (the caller's loop), so take it from the call.
				this.task.settleWithOutcome();
				return isCancelled();
			}
			return super.cancel(mayInterruptIfRunning) || isCancelled();
		}

	}

}
