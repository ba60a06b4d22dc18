/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import dev.bridge.context.ContextCapture;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One unit of loop work (a callable, or the subscription to a {@code Mono}) and its
 * single completion, which a waiting caller, a {@link LoopFuture}, a timeout or shutdown
 * may race for: the first to complete it wins and the rest are no-ops.
 */
final class LoopWork<T> extends TrackedWork implements Runnable, CoreSubscriber<T> {

	/**
	 * The context key naming the thread waiting for the work
	 * ({@code DefaultOffloader.AWAITED_BY}: keep the two in step).
	 */
	static final String AWAITED_BY = "dev.bridge.awaited-by";

	private static final int PENDING = 0;

	private static final int COMPLETING = 1;

	private static final int DONE = 2;

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<LoopWork> STATE = AtomicIntegerFieldUpdater
		.newUpdater(LoopWork.class, "state");

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<LoopWork, Subscription> SUBSCRIPTION = AtomicReferenceFieldUpdater
		.newUpdater(LoopWork.class, Subscription.class, "subscription");

	private final DefaultLoopRunner runner;

	private final Runnable start;

	/** Whether the work is plain code ({@code call}) rather than a subscription. */
	private final boolean callable;

	private final @Nullable LoopFuture<T> future;

	/**
	 * What the subscribed work sees as its Reactor context: the thread that waits for it
	 * synchronously, under {@link #AWAITED_BY}, so that an offload pool can lend that
	 * thread's slot to calls it waits for; empty for submitted work.
	 */
	private final Context context;

	private volatile int state;

	private volatile @Nullable Subscription subscription;

	private volatile @Nullable Thread waiter;

	private volatile long started;

	private @Nullable T received;

	private @Nullable T value;

	private @Nullable Throwable error;

	private LoopWork(DefaultLoopRunner runner, String name, @Nullable Callable<T> callable, @Nullable Mono<T> mono,
			boolean withFuture, ContextCapture contextCapture) {
		super(name);
		this.runner = runner;
		this.callable = callable != null;
		this.future = withFuture ? new LoopFuture<>(this) : null;
		this.context = withFuture ? Context.empty() : Context.of(AWAITED_BY, Thread.currentThread());
		// Captured here, on the caller's thread, and in place on the loop while the work
		// starts, with what the runner's task observer opens for it.
		Runnable body = (callable != null) ? () -> call(callable) : () -> mono.subscribe(this);
		this.start = contextCapture.wrap(() -> runner.start(this, body));
	}

	static <T> LoopWork<T> ofCallable(DefaultLoopRunner runner, String name, Callable<T> callable,
			ContextCapture contextCapture) {
		return new LoopWork<>(runner, name, callable, null, false, contextCapture);
	}

	static <T> LoopWork<T> ofMono(DefaultLoopRunner runner, String name, Mono<T> mono, boolean withFuture,
			ContextCapture contextCapture) {
		return new LoopWork<>(runner, name, null, mono, withFuture, contextCapture);
	}

	LoopFuture<T> future() {
		LoopFuture<T> future = this.future;
		if (future == null) {
			throw new IllegalStateException("work " + this.name + " has no future");
		}
		return future;
	}

	long started() {
		return this.started;
	}

	@Override
	public void run() {
		if (this.state != PENDING) {
			return;
		}
		this.started = System.nanoTime();
		try {
			this.start.run();
		}
		catch (Throwable ex) {
			// Thrown at subscribe (Reactor rethrows fatal errors) or by the context
			// restore: the caller must see it, not wait until its timeout.
			if (!complete(null, ex)) {
				throw ex;
			}
		}
	}

	private void call(Callable<T> task) {
		T result;
		try {
			result = task.call();
		}
		catch (Throwable ex) {
			complete(null, ex);
			return;
		}
		complete(result, null);
	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	@Override
	public void onSubscribe(Subscription s) {
		if (SUBSCRIPTION.compareAndSet(this, null, s)) {
			s.request(Long.MAX_VALUE);
		}
		else {
			s.cancel();
		}
	}

	@Override
	public void onNext(T t) {
		this.received = t;
	}

	@Override
	public void onError(Throwable t) {
		onLoop(() -> complete(null, t));
	}

	@Override
	public void onComplete() {
		T result = this.received;
		onLoop(() -> complete(result, null));
	}

	/**
	 * Completes submitted work on the loop, as {@link LoopRunner#submit} promises, when
	 * the work signalled elsewhere (a {@code Mono.delay} ends on a Reactor timer). A
	 * synchronous waiter does not care where it is woken, so its work completes at once.
	 */
	private void onLoop(Runnable completion) {
		if (this.future == null || this.runner.inLoop() || !this.runner.executeOnLoop(completion)) {
			completion.run();
		}
	}

	@Override
	boolean cancel(Throwable reason) {
		if (!complete(null, reason)) {
			return false;
		}
		Subscription s = SUBSCRIPTION.getAndSet(this, Operators.cancelledSubscription());
		if (s != null) {
			// The work's cancel handlers (doOnCancel, doFinally) are loop code too.
			if (this.runner.inLoop() || !this.runner.executeOnLoop(s::cancel)) {
				s.cancel();
			}
		}
		return true;
	}

	private boolean complete(@Nullable T result, @Nullable Throwable failure) {
		if (!STATE.compareAndSet(this, PENDING, COMPLETING)) {
			return false;
		}
		this.value = result;
		this.error = failure;
		// Counted before DONE is published, so a caller that sees its result also sees
		// it in the runner's stats.
		this.runner.finished(this, failure, this.started);
		this.state = DONE;
		LoopFuture<T> completion = this.future;
		if (completion != null) {
			if (failure == null) {
				completion.complete(result);
			}
			else {
				completion.completeExceptionally(failure);
			}
		}
		else {
			Thread waiting = this.waiter;
			if (waiting != null) {
				LockSupport.unpark(waiting);
			}
		}
		return true;
	}

	/**
	 * Waits for the result as a synchronous caller, cancelling the work on timeout or
	 * interrupt; {@code timeoutSource} names the setting the timeout came from.
	 */
	@Nullable T await(long timeoutNanos, String operation, String timeoutSource) {
		boolean done = Backoff.await(() -> this.state == DONE, System.nanoTime() + timeoutNanos,
				this.runner::expectedWaitNanos, () -> this.waiter = Thread.currentThread());
		if (!done) {
			String fate = fate();
			if (Thread.currentThread().isInterrupted()) {
				cancel(new CancellationException(operation + " for " + this.name + ": the waiting thread '"
						+ Thread.currentThread().getName() + "' was interrupted while waiting on "
						+ this.runner.threadName() + "; " + fate + ". The thread's interrupt flag is kept"));
			}
			else {
				cancel(timedOut(timeoutNanos, operation, timeoutSource));
			}
			while (this.state != DONE) {
				Thread.onSpinWait();
			}
		}
		return report(this.value, this.error);
	}

	/**
	 * What giving up on the work does to it, for the waiter's error: plain code already
	 * running on the loop cannot be stopped, only its result dropped.
	 */
	private String fate() {
		if (this.started == 0) {
			return "the work had not started and will not run";
		}
		if (this.callable) {
			return "the work was already running on the loop and cannot be stopped there: it runs to its end "
					+ "and its result is dropped";
		}
		return "the work's subscription was cancelled on the loop";
	}

	/**
	 * The error of a caller whose wait of {@code timeoutNanos} ran out (on the real clock
	 * or on the runner's timer); it tells the caller to raise {@code timeoutSource}, the
	 * setting that timeout came from.
	 */
	LoopTimeoutException timedOut(long timeoutNanos, String operation, String timeoutSource) {
		return new LoopTimeoutException(operation + " for " + this.name + " timed out after "
				+ TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms waiting on " + this.runner.threadName()
				+ " (loop lag " + this.runner.stats().lag().toMillis() + " ms)" + this.runner.pausedNote() + "; "
				+ fate() + ". Raise " + timeoutSource
				+ " if the work is legitimately slow, or look for a stall warning if the loop is blocked");
	}

	/**
	 * Returns the value, or rethrows the error as itself with the caller's site attached.
	 */
	static <T> @Nullable T report(@Nullable T value, @Nullable Throwable error) {
		if (error == null) {
			return value;
		}
		if (error instanceof LoopTimeoutException || error instanceof LoopDeadlockException) {
			throw (RuntimeException) error;
		}
		if (error instanceof RuntimeException || error instanceof Error) {
			addCallerSite(error);
			if (error instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw (Error) error;
		}
		throw new CompletionException(error.getClass().getName() + " thrown by loop work: " + error.getMessage(),
				error);
	}

	private static void addCallerSite(Throwable error) {
		for (Throwable suppressed : error.getSuppressed()) {
			if (suppressed instanceof CallerSite) {
				return;
			}
		}
		error.addSuppressed(new CallerSite(Thread.currentThread().getName()));
	}

	/**
	 * Records where a caller waited for loop work that failed, since the failure's own
	 * stack trace shows only the loop thread.
	 */
	static final class CallerSite extends Exception {

		private static final long serialVersionUID = 1L;

		CallerSite(String thread) {
			super("the loop work's result was awaited here, on thread '" + thread + "'");
		}

	}

	/**
	 * The future of submitted work, or one derived from it through its own methods
	 * ({@code thenApply}, {@code copy}, ...; not the JDK's minimal stage, whose
	 * {@code toCompletableFuture()} makes a plain future): cancelling the first cancels
	 * the work, and waiting on either is deadlock-guarded.
	 */
	static final class LoopFuture<T> extends CompletableFuture<T> {

		private final @Nullable LoopWork<?> work;

		private final String name;

		LoopFuture(LoopWork<T> work) {
			this(work, "submit(..) of " + work.name);
		}

		private LoopFuture(@Nullable LoopWork<?> work, String name) {
			this.work = work;
			this.name = name;
		}

		@Override
		public T get() throws InterruptedException, ExecutionException {
			LoopDeadlockException.refuseWaitOnNonBlockingThread(this, "get()", this.name);
			return super.get();
		}

		@Override
		public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
			LoopDeadlockException.refuseWaitOnNonBlockingThread(this, "get(timeout)", this.name);
			return super.get(timeout, unit);
		}

		@Override
		public T join() {
			LoopDeadlockException.refuseWaitOnNonBlockingThread(this, "join()", this.name);
			return super.join();
		}

		@Override
		public <U> CompletableFuture<U> newIncompleteFuture() {
			return new LoopFuture<>(null, this.name);
		}

		/**
		 * Cancels the work, which completes this future with the cancellation, unless the
		 * work has its outcome already: then the future gets that outcome, the one the
		 * runner's stats and task observer see, and this returns {@code false}.
		 */
		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			LoopWork<?> cancelling = this.work;
			if (cancelling == null || isDone()) {
				return super.cancel(mayInterruptIfRunning);
			}
			cancelling.cancel(new CancellationException(cancelling.name + " was cancelled by its caller"));
			// A completion that won the race is publishing its outcome: wait for it, so
			// the future is done when this returns, as Future.cancel promises.
			while (!isDone()) {
				Thread.onSpinWait();
			}
			return isCancelled();
		}

	}

}
