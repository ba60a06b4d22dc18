/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

/**
 * A blocking iterator over a publisher that emits on the loop, with a prefetch-sized
 * buffer: it requests {@code prefetch} items, then replenishes three quarters of that as
 * they are consumed, so the loop never buffers more than the prefetch for a slow
 * consumer. Unlike Reactor's {@code toStream()} it waits with the loop's adaptive
 * backoff, bounds each wait with the call timeout, and can be ended by shutdown with an
 * error the consumer sees.
 */
final class StreamWork<T> extends TrackedWork implements CoreSubscriber<T>, Iterator<T> {

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<StreamWork> TERMINATED = AtomicIntegerFieldUpdater
		.newUpdater(StreamWork.class, "terminated");

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<StreamWork, Subscription> SUBSCRIPTION = AtomicReferenceFieldUpdater
		.newUpdater(StreamWork.class, Subscription.class, "subscription");

	/** How long a woken consumer waits for a batch at most. */
	private static final long GATHER_NANOS = 10_000;

	private final DefaultLoopRunner runner;

	private final Queue<T> queue;

	private final int prefetch;

	private final int limit;

	/** The batch a woken consumer waits for: 64 items, or less for a small prefetch. */
	private final int gather;

	private final long timeoutNanos;

	private volatile @Nullable Subscription subscription;

	private volatile int terminated;

	private volatile boolean done;

	/**
	 * Set by {@link #close()}: the consumer sees the end at once, whatever is buffered or
	 * still on its way from the loop.
	 */
	private volatile boolean closed;

	private volatile @Nullable Thread waiter;

	private @Nullable Throwable error;

	private @Nullable T next;

	private int consumed;

	private final long started = System.nanoTime();

	@SuppressWarnings("unused") // keeps the reference alive while the work is in flight
	private @Nullable Abandoned abandoned;

	StreamWork(DefaultLoopRunner runner, String name, int prefetch, long timeoutNanos) {
		super(name);
		this.runner = runner;
		this.prefetch = prefetch;
		this.limit = prefetch - (prefetch >> 2);
		this.gather = Math.min(64, this.limit);
		this.queue = Queues.<T>get(prefetch).get();
		this.timeoutNanos = timeoutNanos;
	}

	@Override
	public void onSubscribe(Subscription s) {
		if (SUBSCRIPTION.compareAndSet(this, null, s)) {
			s.request(this.prefetch);
		}
		else {
			s.cancel();
		}
	}

	@Override
	public void onNext(T t) {
		if (!this.queue.offer(t)) {
			// The source goes on emitting: it is cancelled, as a subscriber must on
			// overflow, and the consumer sees the overflow.
			cancel(Exceptions.failWithOverflow("stream " + this.name + " received more than its prefetch of "
					+ this.prefetch + " items: the source ignores backpressure"));
			return;
		}
		wake();
	}

	@Override
	public void onError(Throwable t) {
		terminate(t, false);
	}

	@Override
	public void onComplete() {
		terminate(null, false);
	}

	@Override
	boolean cancel(Throwable reason) {
		return terminate(reason, true);
	}

	/**
	 * Releases the work when {@code handle}, what the consumer iterates, becomes
	 * unreachable before the stream was read to its end or closed.
	 */
	void watch(Object handle, ReferenceQueue<Object> queue) {
		this.abandoned = new Abandoned(handle, queue, this);
	}

	/**
	 * The phantom reference to a consumer's handle, holding the work to release: the work
	 * holds it, so it lives as long as the work is in flight.
	 */
	static final class Abandoned extends PhantomReference<Object> {

		private final StreamWork<?> work;

		Abandoned(Object handle, ReferenceQueue<Object> queue, StreamWork<?> work) {
			super(handle, queue);
			this.work = work;
		}

		void release() {
			this.work.cancel(new CancellationException("stream " + this.work.name + " was dropped by its consumer "
					+ "without being read to its end or closed, and its source was cancelled when it became "
					+ "unreachable; close streams read only in part with try-with-resources"));
		}

	}

	/**
	 * Ends iteration early: the source is cancelled and the consumer sees no error and no
	 * more items. The consumer drops what is buffered (the queue has one consumer, and
	 * close may come from another thread).
	 */
	void close() {
		this.closed = true;
		terminate(null, true);
	}

	private boolean terminate(@Nullable Throwable failure, boolean cancelUpstream) {
		if (!TERMINATED.compareAndSet(this, 0, 1)) {
			return false;
		}
		Throwable outcome = (cancelUpstream && failure == null)
				? new CancellationException("stream closed by its consumer") : failure;
		// Counted before done is published, so a consumer that sees the end also sees it
		// in the runner's stats.
		this.runner.finished(this, outcome, this.started);
		this.error = failure;
		this.done = true;
		if (cancelUpstream) {
			Subscription s = SUBSCRIPTION.getAndSet(this, Operators.cancelledSubscription());
			if (s != null) {
				s.cancel();
			}
		}
		wake();
		return true;
	}

	private void wake() {
		// The queue's offer is an ordered store, not a full fence: fence before reading
		// the waiter so a consumer about to park cannot miss the item.
		VarHandle.fullFence();
		Thread waiting = this.waiter;
		if (waiting != null) {
			LockSupport.unpark(waiting);
		}
	}

	@Override
	public boolean hasNext() {
		if (this.next != null && !this.closed) {
			return true;
		}
		while (true) {
			// Checked on every turn: a close while this thread waited ends it too.
			if (this.closed) {
				this.next = null;
				this.queue.clear();
				return false;
			}
			T item = this.queue.poll();
			if (item != null) {
				this.next = item;
				if (++this.consumed == this.limit) {
					this.consumed = 0;
					Subscription s = this.subscription;
					if (s != null) {
						s.request(this.limit);
					}
				}
				return true;
			}
			if (this.done) {
				if (!this.queue.isEmpty()) {
					continue;
				}
				Throwable failure = this.error;
				if (failure != null) {
					LoopWork.report(null, failure);
				}
				return false;
			}
			// The stream may have been made on another thread: a wait here, on the loop
			// or another non-blocking thread, could never end well.
			this.runner.guardWait("hasNext() of " + this.name);
			boolean ready = Backoff.await(() -> this.done || !this.queue.isEmpty(),
					System.nanoTime() + this.timeoutNanos, this.runner::expectedWaitNanos,
					() -> this.waiter = Thread.currentThread());
			if (ready) {
				gather();
			}
			else if (Thread.currentThread().isInterrupted()) {
				cancel(new CancellationException(
						"stream " + this.name + ": the consuming thread '" + Thread.currentThread().getName()
								+ "' was interrupted while waiting for the next item from " + this.runner.threadName()
								+ "; the source was cancelled. The thread's interrupt flag is kept"));
			}
			else {
				cancel(new LoopTimeoutException(
						"stream " + this.name + " waited " + TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos)
								+ " ms for its next item from " + this.runner.threadName() + this.runner.pausedNote()
								+ "; the source was cancelled. Raise bridge.loop.call-timeout "
								+ "if the source is legitimately slow"));
			}
		}
	}

	/**
	 * After a wait, gives the loop a few microseconds to queue a batch, so that consumer
	 * and loop do not hand items over (and wake each other) one at a time.
	 */
	private void gather() {
		this.waiter = null;
		long until = System.nanoTime() + GATHER_NANOS;
		while (!this.done && this.queue.size() < this.gather && System.nanoTime() - until < 0) {
			Thread.onSpinWait();
		}
	}

	@Override
	public T next() {
		if (!hasNext()) {
			throw new NoSuchElementException("stream " + this.name + " has no more items");
		}
		T item = this.next;
		this.next = null;
		return item;
	}

}
