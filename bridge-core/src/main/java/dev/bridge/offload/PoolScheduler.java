/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * The Reactor {@link Scheduler} view of one offload pool ({@link Offloader#scheduler()}):
 * each task is a call admitted by the pool, so the pool's limit, queue, rejection,
 * context capture, statistics and shutdown drain apply to it. Reactor's executor-backed
 * schedulers cannot be used: they wrap the pool's rejection in their own exception and
 * cannot interrupt a disposed task. A worker runs its tasks one at a time, in order, as
 * one pool call per busy period. Not time-capable. Disposing the view refuses its later
 * tasks, not the pool's. Thread-safe.
 */
final class PoolScheduler implements Scheduler {

	private final Function<Runnable, CompletableFuture<?>> submit;

	private final UnaryOperator<Runnable> capture;

	private final boolean interruptOnCancel;

	/** Set by {@link #dispose()}: this view, and its workers, refuse new tasks. */
	private volatile boolean disposed;

	/**
	 * Creates the view.
	 * @param submit submits a task to the pool as a call under the calling thread's
	 * context, throwing the pool's rejection
	 * @param capture wraps a task in the calling thread's context
	 * @param interruptOnCancel whether disposing a worker's running task interrupts it
	 */
	PoolScheduler(Function<Runnable, CompletableFuture<?>> submit, UnaryOperator<Runnable> capture,
			boolean interruptOnCancel) {
		this.submit = submit;
		this.capture = capture;
		this.interruptOnCancel = interruptOnCancel;
	}

	@Override
	public Disposable schedule(Runnable task) {
		refuseIfDisposed();
		Future<?> call = this.submit.apply(guarded(task));
		return new Disposable() {

			@Override
			public void dispose() {
				call.cancel(true);
			}

			@Override
			public boolean isDisposed() {
				return call.isDone();
			}

		};
	}

	@Override
	public Worker createWorker() {
		return new SerialWorker();
	}

	/**
	 * Refuses new tasks on this view and its workers from now on; tasks already accepted
	 * run. The pool is the offloader's, so it goes on, and so do other views of it.
	 */
	@Override
	public void dispose() {
		this.disposed = true;
	}

	@Override
	public boolean isDisposed() {
		return this.disposed;
	}

	private void refuseIfDisposed() {
		if (this.disposed) {
			throw new RejectedExecutionException("this view of an offload pool's scheduler is disposed: take a new "
					+ "one from Offloader.scheduler() (the pool itself goes on)");
		}
	}

	private static Runnable guarded(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			catch (Throwable ex) {
				Operators.onErrorDropped(ex, Context.empty());
			}
		};
	}

	/**
	 * Runs its tasks in order, one at a time: the first task of a busy period submits a
	 * drain to the pool, which runs every task queued until the queue is empty. Disposing
	 * it drops the queued tasks and cancels (interrupts) the running drain. A drain that
	 * ends cancelled (by the pool's timeout or shutdown, before or while it runs) ends
	 * the worker as a dispose would: its queued tasks never run, so new ones are refused
	 * rather than queued behind them (a task scheduled while the cancel reaches the
	 * worker is dropped with them).
	 */
	private final class SerialWorker implements Worker, Runnable {

		private final Queue<WorkerTask> queue = new ConcurrentLinkedQueue<>();

		private final AtomicInteger pending = new AtomicInteger();

		private volatile boolean disposed;

		private volatile @Nullable Future<?> drain;

		private volatile @Nullable Thread drainer;

		/** The task the drain runs now, if any. */
		private volatile @Nullable WorkerTask current;

		@Override
		public Disposable schedule(Runnable task) {
			if (this.disposed) {
				throw new RejectedExecutionException("this worker of an offload pool's scheduler is disposed");
			}
			refuseIfDisposed();
			WorkerTask scheduled = new WorkerTask(PoolScheduler.this.capture.apply(task),
					PoolScheduler.this.interruptOnCancel);
			this.queue.offer(scheduled);
			if (this.pending.getAndIncrement() == 0) {
				CompletableFuture<?> call;
				try {
					call = PoolScheduler.this.submit.apply(this);
				}
				catch (RuntimeException ex) {
					// The pool refused this task: alone, it is taken back and the worker
					// goes on; with tasks other threads queued behind it meanwhile (their
					// schedule returned), the worker is done, as a disposed one would be.
					this.queue.remove(scheduled);
					scheduled.dispose();
					if (this.pending.decrementAndGet() != 0) {
						dispose();
					}
					throw ex;
				}
				this.drain = call;
				call.whenComplete((ignored, error) -> {
					if (error != null) {
						end();
					}
				});
			}
			return scheduled;
		}

		@Override
		public void run() {
			this.drainer = Thread.currentThread();
			// The pool's call this drain runs as, when it is one of Bridge's: it may be
			// cancelled while it runs, and no task may start after that.
			OffloadTask<?> call = OffloadTask.running();
			try {
				boolean first = true;
				int missed = 1;
				do {
					WorkerTask task;
					while ((task = this.queue.poll()) != null) {
						if (!first && call != null) {
							// The pool's timeout bounds each task: the first one's
							// started when the pool admitted the drain.
							call.rearmTimeout();
						}
						first = false;
						// Checked after the rearm: a timeout that fired before it has
						// cancelled the call, and no task starts after that.
						if (this.disposed || (call != null && call.isDone())) {
							task.dispose();
							end();
							return;
						}
						this.current = task;
						task.run();
						this.current = null;
						// As between two calls: an interrupt the task left does not
						// reach the next one.
						Thread.interrupted();
					}
					missed = this.pending.addAndGet(-missed);
				}
				while (missed != 0);
			}
			finally {
				this.drainer = null;
			}
		}

		/** Refuses new tasks and disposes the queued ones. */
		private void end() {
			this.disposed = true;
			WorkerTask task;
			while ((task = this.queue.poll()) != null) {
				task.dispose();
			}
		}

		@Override
		public void dispose() {
			end();
			WorkerTask task = this.current;
			if (task != null) {
				task.dispose();
			}
			Future<?> running = this.drain;
			// Operators dispose their worker from its own task when they finish: that
			// ends the drain without interrupting (and so cancelling) the call.
			if (running != null && this.drainer != Thread.currentThread()) {
				running.cancel(true);
			}
		}

		@Override
		public boolean isDisposed() {
			return this.disposed;
		}

	}

	/**
	 * A worker's task: skipped once disposed, interrupted when disposed while it runs
	 * (from another thread, when the pool interrupts on cancel), disposed once it ran.
	 */
	private static final class WorkerTask implements Runnable, Disposable {

		private static final int NEW = 0;

		private static final int RUNNING = 1;

		private static final int INTERRUPTING = 2;

		private static final int FINISHED = 3;

		private static final AtomicIntegerFieldUpdater<WorkerTask> STATE = AtomicIntegerFieldUpdater
			.newUpdater(WorkerTask.class, "state");

		private final Runnable task;

		private final boolean interruptOnCancel;

		private volatile int state;

		private volatile @Nullable Thread runner;

		WorkerTask(Runnable task, boolean interruptOnCancel) {
			this.task = task;
			this.interruptOnCancel = interruptOnCancel;
		}

		@Override
		public void run() {
			this.runner = Thread.currentThread();
			if (!STATE.compareAndSet(this, NEW, RUNNING)) {
				return;
			}
			try {
				guarded(this.task).run();
			}
			finally {
				// A dispose's interrupt lands before the next task can start.
				while (!STATE.compareAndSet(this, RUNNING, FINISHED) && this.state != FINISHED) {
					Thread.onSpinWait();
				}
			}
		}

		@Override
		public void dispose() {
			if (STATE.compareAndSet(this, NEW, FINISHED)) {
				return;
			}
			Thread running = this.runner;
			if (this.interruptOnCancel && running != Thread.currentThread()
					&& STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
				if (running != null) {
					running.interrupt();
				}
				this.state = FINISHED;
			}
		}

		@Override
		public boolean isDisposed() {
			return this.state >= INTERRUPTING;
		}

	}

}
