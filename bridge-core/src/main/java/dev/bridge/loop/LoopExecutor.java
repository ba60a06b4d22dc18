/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.bridge.context.ContextCapture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.util.concurrent.Queues;

/**
 * The single loop thread with its task queue, behind the {@link ScheduledExecutorService}
 * interface that Reactor's {@code Schedulers.fromExecutorService} turns into a scheduler.
 * <p>
 * It exists for one reason Reactor's single scheduler cannot serve: the idle strategy.
 * Tasks go through a lock-free multi-producer queue and the thread spins, then yields,
 * then parks when idle ({@link Backoff}), so a hand-off from a busy caller costs well
 * under a microsecond while an idle loop costs no CPU. Delayed and periodic tasks are
 * timed by a companion timer thread that only moves them onto the loop when due. The
 * executor also records which task runs and since when, for the stall watchdog.
 * <p>
 * Isolation: a task that is not {@link LoopWork} (which carries its caller's context
 * itself) runs under the context of the thread that scheduled it, captured when it was
 * scheduled, so a continuation ({@code publishOn}, {@code Mono.delay} on the loop) sees
 * the context of the caller whose work it continues; after every task the loop thread's
 * registered thread-locals are reset, so no task sees what another left behind.
 */
final class LoopExecutor extends AbstractExecutorService implements ScheduledExecutorService {

	private static final Logger logger = LoggerFactory.getLogger(LoopExecutor.class);

	private static final Object IDLE = new Object();

	private final Queue<Runnable> queue = Queues.<Runnable>unboundedMultiproducer().get();

	private final LoopThread thread;

	private final ScheduledThreadPoolExecutor timer;

	/** The timer's thread, joined at stop. */
	private volatile @Nullable Thread timerThread;

	private volatile boolean parked;

	private volatile boolean stopping;

	private volatile boolean terminated;

	/** Start of the running task in nanoTime, or 0 when idle. */
	private volatile long taskStart;

	/**
	 * How long recent tasks ran: a moving average in nanoseconds, each task weighing 1/8.
	 * Written by the loop only.
	 */
	private volatile long averageTaskNanos;

	/**
	 * What the running task is: a {@link LoopWork} for named work, or for a continuation
	 * that named work scheduled on the loop, else {@link #IDLE}.
	 */
	private volatile Object taskOwner = IDLE;

	private final AtomicLong taskSequence = new AtomicLong();

	private final AtomicLong pending = new AtomicLong();

	private final ContextCapture contextCapture;

	/** A loop that neither captures nor resets context: for tests of the loop alone. */
	LoopExecutor(LoopRunner runner, String threadName) {
		this(runner, threadName, ContextCapture.none());
	}

	LoopExecutor(LoopRunner runner, String threadName, ContextCapture contextCapture) {
		this.contextCapture = contextCapture;
		this.thread = new LoopThread(runner, this::loop, threadName);
		this.thread.setDaemon(true);
		this.timer = new ScheduledThreadPoolExecutor(1, (task) -> {
			// A daemon that inherits no InheritableThreadLocal of the thread that started
			// the runner, like every thread Bridge makes.
			Thread timerThread = new Thread(null, task, threadName + "-timer", 0, false);
			timerThread.setDaemon(true);
			this.timerThread = timerThread;
			return timerThread;
		});
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.thread.start();
	}

	LoopThread thread() {
		return this.thread;
	}

	ScheduledThreadPoolExecutor timer() {
		return this.timer;
	}

	/**
	 * Queues {@code command} for the loop. A command is counted in {@link #pending}
	 * before the stop check, and the loop ends only once {@code stopping} is set and
	 * nothing is pending: so a command either is refused here or runs before the loop
	 * ends, even when it races {@link #stop}.
	 */
	@Override
	public void execute(Runnable command) {
		this.pending.incrementAndGet();
		if (this.stopping) {
			this.pending.decrementAndGet();
			// The loop may be waiting for this command to arrive: let it see it will not.
			LockSupport.unpark(this.thread);
			throw new RejectedExecutionException("loop " + this.thread.getName() + " is stopped");
		}
		this.queue.offer(inSchedulersContext(command));
		if (this.parked) {
			LockSupport.unpark(this.thread);
		}
	}

	/**
	 * {@code command} under the context of the thread scheduling it, unless it carries
	 * its own; scheduled by named work running on the loop (a {@code publishOn} or
	 * {@code Mono.delay} continuation), it keeps that work as its owner, so that a stall
	 * in it is reported under the work's name.
	 */
	private Runnable inSchedulersContext(Runnable command) {
		if (command instanceof LoopWork || command instanceof InContext) {
			return command;
		}
		Runnable wrapped = this.contextCapture.wrap(command);
		Object owner = (Thread.currentThread() == this.thread) ? this.taskOwner : IDLE;
		return (wrapped != command || owner != IDLE) ? new InContext(command, wrapped, owner) : command;
	}

	// The BlockHound integration of the autoconfigure module allows blocking (parking) in
	// loop() and forbids it again in runTask(), by these method names: keep them in step.
	private void loop() {
		long idleSince = 0;
		int spins = 0;
		while (true) {
			Runnable task = this.queue.poll();
			if (task != null) {
				this.pending.decrementAndGet();
				runTask(task);
				idleSince = 0;
				continue;
			}
			if (this.stopping && this.pending.get() == 0) {
				break;
			}
			long now = System.nanoTime();
			if (idleSince == 0) {
				idleSince = now;
			}
			long idle = now - idleSince;
			if (idle < Backoff.SPIN_NANOS) {
				Thread.onSpinWait();
				if ((++spins & 63) == 0) {
					// Let a caller sharing this core hand over its work.
					Thread.yield();
				}
			}
			else if (idle < Backoff.SPIN_NANOS + Backoff.YIELD_NANOS) {
				Thread.yield();
			}
			else {
				// park() returns at once while the interrupt flag is set, which would
				// turn an idle loop into a spin: an interrupt has no task to end here.
				if (Thread.interrupted()) {
					logger.debug("Cleared an interrupt of the idle loop {}", this.thread.getName());
				}
				this.parked = true;
				if (this.queue.isEmpty() && !this.stopping) {
					LockSupport.park(this);
				}
				this.parked = false;
			}
		}
		this.terminated = true;
	}

	private void runTask(Runnable task) {
		this.taskSequence.incrementAndGet();
		this.taskOwner = (task instanceof LoopWork<?> work) ? work
				: (task instanceof InContext continuation) ? continuation.owner : IDLE;
		long start = System.nanoTime();
		this.taskStart = start;
		try {
			task.run();
		}
		catch (Throwable ex) {
			// A task's failure must never end the loop: log it and keep serving.
			logger.error("Loop task {} on {} failed", task, this.thread.getName(), ex);
		}
		finally {
			// Whatever the task left (an Observation scope, a security context, MDC)
			// must not reach the next one.
			this.contextCapture.clearThreadLocals();
			long average = this.averageTaskNanos;
			this.averageTaskNanos = average + ((System.nanoTime() - start - average) >> 3);
			this.taskStart = 0;
			this.taskOwner = IDLE;
			if (Thread.interrupted()) {
				logger.debug("Cleared an interrupt left by a task on {}", this.thread.getName());
			}
		}
	}

	/**
	 * How long work queued now would wait for the loop, roughly: the queued tasks at the
	 * recent average run time, and what the running task has still to run — as long as it
	 * has run already, once it runs longer than the average (a slow task is likely to run
	 * on). Read by waiting callers to choose between spinning and parking.
	 */
	long expectedWaitNanos() {
		long average = this.averageTaskNanos;
		long start = this.taskStart;
		long running = 0;
		if (start != 0) {
			long ran = System.nanoTime() - start;
			running = Math.max(average - ran, ran);
		}
		return this.pending.get() * average + running;
	}

	/** Sequence number of the running (or last) task, to report each stall once. */
	long taskSequence() {
		return this.taskSequence.get();
	}

	long taskStart() {
		return this.taskStart;
	}

	@Nullable LoopWork<?> runningWork() {
		return (this.taskOwner instanceof LoopWork<?> work) ? work : null;
	}

	int pending() {
		return (int) Math.max(0, this.pending.get());
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
		// Captured now, on the scheduling thread, not when the timer moves it over.
		Runnable captured = inSchedulersContext(command);
		return this.timer.schedule(() -> execute(captured), delay, unit);
	}

	@Override
	public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
		DelayedTask<V> task = new DelayedTask<>(callable);
		Runnable captured = inSchedulersContext(task);
		task.timerFuture = this.timer.schedule(() -> execute(captured), delay, unit);
		return task;
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
		Runnable captured = inSchedulersContext(command);
		return this.timer.scheduleAtFixedRate(() -> execute(captured), initialDelay, period, unit);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
		Runnable captured = inSchedulersContext(command);
		return this.timer.scheduleWithFixedDelay(() -> execute(captured), initialDelay, delay, unit);
	}

	/**
	 * Reactor disposes schedulers through this method; the loop ignores it because its
	 * lifecycle belongs to the runner ({@link #stop(long)}).
	 */
	@Override
	public void shutdown() {
	}

	@Override
	public List<Runnable> shutdownNow() {
		return Collections.emptyList();
	}

	@Override
	public boolean isShutdown() {
		return this.stopping;
	}

	@Override
	public boolean isTerminated() {
		return this.terminated;
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		this.thread.join(Math.max(1, unit.toMillis(timeout)));
		return this.terminated;
	}

	/**
	 * Stops the loop after the tasks already queued, waits up to {@code waitMillis} for
	 * the thread to end, then interrupts a thread still stuck in a task.
	 * @return whether the loop thread ended
	 */
	boolean stop(long waitMillis) {
		this.timer.shutdownNow();
		this.stopping = true;
		LockSupport.unpark(this.thread);
		if (Thread.currentThread() == this.thread) {
			return false;
		}
		try {
			this.thread.join(Math.max(1, waitMillis));
			if (this.thread.isAlive()) {
				// The stack rides on a Throwable: the logging backend prints it.
				Throwable stack = new Throwable("Stack of " + this.thread.getName() + " after shutdown");
				stack.setStackTrace(this.thread.getStackTrace());
				logger.warn("Loop thread {} is still running a task after shutdown; interrupting it",
						this.thread.getName(), stack);
				this.thread.interrupt();
				this.thread.join(1000);
			}
			if (this.timer.awaitTermination(1, TimeUnit.SECONDS)) {
				Thread timerThread = this.timerThread;
				if (timerThread != null) {
					timerThread.join(1000);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !this.thread.isAlive();
	}

	/**
	 * A task wrapped in the context of the thread that scheduled it, with the named work
	 * that scheduled it from the loop, if any.
	 */
	private static final class InContext implements Runnable {

		private final Runnable task;

		private final Runnable wrapped;

		/** The {@link LoopWork} that scheduled the task, else {@link #IDLE}. */
		final Object owner;

		InContext(Runnable task, Runnable wrapped, Object owner) {
			this.task = task;
			this.wrapped = wrapped;
			this.owner = owner;
		}

		@Override
		public void run() {
			this.wrapped.run();
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

	/**
	 * A callable due on the loop after a delay: timed by the timer, run on the loop.
	 */
	private static final class DelayedTask<V> extends FutureTask<V> implements ScheduledFuture<V> {

		private volatile @Nullable ScheduledFuture<?> timerFuture;

		DelayedTask(Callable<V> callable) {
			super(callable);
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			ScheduledFuture<?> timed = this.timerFuture;
			if (timed != null) {
				timed.cancel(false);
			}
			return super.cancel(mayInterruptIfRunning);
		}

		@Override
		public long getDelay(TimeUnit unit) {
			ScheduledFuture<?> timed = this.timerFuture;
			return (timed != null) ? timed.getDelay(unit) : 0;
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

	}

}
