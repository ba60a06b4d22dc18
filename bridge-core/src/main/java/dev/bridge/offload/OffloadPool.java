/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import dev.bridge.offload.Offloader.PoolSpec;
import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.lifecycle.ShuttingDownException;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * Admission control in front of an executor: at most {@code limit} calls run, at most
 * {@code queueCapacity} wait, the rest are rejected at once. A worker that finishes a
 * call takes the next queued one, keeping its slot: on the same thread in a platform
 * pool, so a saturated pool never pays a hand-off per call, and on a new virtual thread
 * in a virtual pool, so every call has a thread of its own.
 */
final class OffloadPool {

	enum Outcome {

		COMPLETED, FAILED, CANCELLED

	}

	/**
	 * How long a platform worker that finished a call waits, spinning, for the next one
	 * before its thread goes back to the executor: longer than a sequential caller takes
	 * to make its next call after being woken with the last result.
	 */
	static final long WARM_NANOS = 50_000;

	/**
	 * The longest a caller about to wait for a call's result spins for it first: a result
	 * that arrives within this window saves the caller a thread wake-up.
	 */
	static final long CALLER_SPIN_NANOS = 20_000;

	/** How many callers may spin at once, across pools: one core is left to the calls. */
	private static final int MAX_SPINNING_CALLERS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

	private static final AtomicInteger spinningCallers = new AtomicInteger();

	/** The pool whose worker the current thread is, to detect nested calls. */
	private static final ThreadLocal<OffloadPool> CURRENT_POOL = new ThreadLocal<>();

	final String name;

	final int limit;

	final int queueCapacity;

	final Duration timeout;

	final boolean virtualThreads;

	final Duration stallThreshold;

	/** The stall threshold, 0 when calls are not watched. */
	final long stallThresholdNanos;

	private final Executor executor;

	/** Resets what a call left on its worker before the next one. */
	private final ContextCapture contextCapture;

	private final @Nullable ExecutorService ownedExecutor;

	/** The threads of the platform executor the pool built, joined at shutdown. */
	private final JoinableThreadFactory ownedThreads;

	private final AtomicInteger active = new AtomicInteger();

	private final AtomicInteger queued = new AtomicInteger();

	private final Queue<OffloadTask<?>> queue = new ConcurrentLinkedQueue<>();

	/**
	 * A platform worker that finished its call and spins briefly for the next one, so
	 * that a call arriving meanwhile starts at once instead of waking a parked thread;
	 * {@code null} when none does. Virtual pools never have one: a virtual thread runs
	 * one call only.
	 */
	private final AtomicReference<@Nullable HandOff> warm = new AtomicReference<>();

	/** The threads running {@link #work} now, each holding a slot. */
	private final Set<Thread> workers = ConcurrentHashMap.newKeySet();

	private final PoolGate<OffloadTask<?>> inFlight = new PoolGate<>();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder completed = new LongAdder();

	private final LongAdder completedNanos = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder failedNanos = new LongAdder();

	private final LongAdder cancelled = new LongAdder();

	private final LongAdder cancelledNanos = new LongAdder();

	private final LongAdder queueWaits = new LongAdder();

	private final LongAdder queueWaitNanos = new LongAdder();

	private final LongAdder stalls = new LongAdder();

	private final LongAdder pinned = new LongAdder();

	/**
	 * A moving average of how long the pool's recent calls took from admission to
	 * outcome, in nanoseconds: whether a caller's spin is likely to see the result.
	 * Updated without synchronisation; an estimate.
	 */
	private volatile long recentCallNanos = Long.MAX_VALUE;

	/** A pool that resets nothing after a call: for tests of admission alone. */
	OffloadPool(String name, PoolSpec spec) {
		this(name, spec, ContextCapture.none());
	}

	OffloadPool(String name, PoolSpec spec, ContextCapture contextCapture) {
		this.name = name;
		this.contextCapture = contextCapture;
		this.limit = spec.maxConcurrency();
		this.queueCapacity = spec.queueCapacity();
		this.timeout = spec.timeout();
		this.stallThreshold = spec.stallThreshold();
		this.stallThresholdNanos = spec.stallThreshold().toNanos();
		Executor given = spec.executor();
		boolean virtual = switch (spec.threads()) {
			case AUTO -> VirtualThreads.AVAILABLE;
			case VIRTUAL -> true;
			case PLATFORM -> false;
		};
		this.virtualThreads = virtual;
		this.ownedThreads = new JoinableThreadFactory("bridge-offload-" + name + "-");
		if (given != null) {
			this.executor = given;
			this.ownedExecutor = null;
		}
		else {
			ExecutorService built = virtual ? VirtualThreads.newThreadPerTaskExecutor("bridge-offload-" + name + "-")
					: platformExecutor(this.ownedThreads);
			this.executor = built;
			this.ownedExecutor = built;
		}
	}

	/**
	 * Platform threads behind a hand-off: the pool's own admission bounds the calls, so
	 * each call takes the thread that went idle last (still warm) or a new one when none
	 * is idle. The thread count follows the calls running at once instead of growing to
	 * the limit, and is not capped here, because a worker frees its slot just before it
	 * waits for the next call: a call admitted in that window gets a new thread rather
	 * than a rejection. Idle threads end after a minute.
	 */
	private static ExecutorService platformExecutor(JoinableThreadFactory threads) {
		return Executors.newCachedThreadPool(threads);
	}

	/**
	 * Admits {@code task} and places it ({@link #place}), or holds it while the pool is
	 * paused, to be placed when it resumes.
	 * @param awaitedBy the thread that waits for the call, when known
	 * @throws OffloadRejectedException when the pool and its queue are full
	 * @throws ShuttingDownException when the pool is shutting down
	 */
	void submit(OffloadTask<?> task, @Nullable Thread awaitedBy) {
		PoolGate.Admission admission = this.inFlight.admit(task, () -> placeHeld(task));
		if (admission == PoolGate.Admission.REFUSED) {
			throw new ShuttingDownException("offload pool '" + this.name + "'", task.name);
		}
		if (task.isDone()) {
			// Its subscriber cancelled it while it was being admitted: that end did not
			// find it admitted yet, so this one forgets it, and nothing runs it.
			this.inFlight.remove(task);
			return;
		}
		// Armed once admitted, before the call can start: it bounds a held call, a
		// queued one and one run inline alike.
		task.armTimeout();
		if (admission == PoolGate.Admission.DISPATCH) {
			place(task, awaitedBy);
		}
	}

	/** Places a call held while paused; a rejection now is the call's outcome. */
	private void placeHeld(OffloadTask<?> task) {
		try {
			place(task, null);
		}
		catch (OffloadRejectedException ex) {
			task.endRefused();
		}
	}

	/**
	 * Runs an admitted call now if a slot is free, queues it if the queue has room,
	 * rejects it otherwise. A call awaited by one of this pool's own workers while every
	 * slot is taken never waits for a slot, since the slot it would wait for is held by
	 * its own caller: made on that worker, it runs inline there; made elsewhere on the
	 * worker's behalf (through the loop, {@code awaitedBy} being the worker), it runs on
	 * the slot the waiting worker lends it, one over the limit while the worker waits.
	 */
	private void place(OffloadTask<?> task, @Nullable Thread awaitedBy) {
		if (tryAcquire()) {
			dispatch(task);
			return;
		}
		if (CURRENT_POOL.get() == this) {
			runInline(task);
			return;
		}
		if (awaitedBy != null && this.workers.contains(awaitedBy)) {
			this.active.incrementAndGet();
			dispatch(task);
			return;
		}
		if (this.queued.incrementAndGet() > this.queueCapacity) {
			this.queued.decrementAndGet();
			OffloadRejectedException rejection = new OffloadRejectedException(this.name, task.name, this.limit,
					this.queueCapacity);
			if (!task.claimRefusal(rejection)) {
				// A cancel (its caller's, its timeout, the shutdown's) ended it
				// first: that is its one outcome, counted where that cancel is.
				return;
			}
			this.inFlight.refuse(task);
			task.disarmTimeout();
			this.rejected.increment();
			throw rejection;
		}
		task.queuedAt = System.nanoTime();
		this.queue.offer(task);
		// A slot may have been freed between tryAcquire and offer, with nobody left to
		// see the queued task: take the slot and the queue head ourselves.
		if (tryAcquire()) {
			OffloadTask<?> next = pollQueued();
			if (next != null) {
				dispatch(next);
			}
			else {
				release();
			}
		}
	}

	/**
	 * Called by a thread about to wait for {@code task}: when it is one of this pool's
	 * workers and the call still waits in the queue, it runs the call itself, on the slot
	 * it holds. The call was made elsewhere (on the loop, with no word of who would wait
	 * for it), so it was queued behind the very slot its waiter holds, and would wait for
	 * it until a timeout; run here, it takes no other caller's turn and no extra slot.
	 */
	void runIfQueued(OffloadTask<?> task) {
		if (CURRENT_POOL.get() != this || !this.queue.remove(task)) {
			return;
		}
		this.queued.decrementAndGet();
		this.queueWaits.increment();
		this.queueWaitNanos.add(System.nanoTime() - task.queuedAt);
		runInline(task);
	}

	/**
	 * Runs a nested call on the calling worker. Its timeout cancels it with an interrupt
	 * of this thread, which must not outlive the nested call into its caller's body.
	 */
	private void runInline(OffloadTask<?> task) {
		OffloadTask<?> caller = OffloadTask.running();
		task.run();
		task.deliverPending();
		if (task.isCancelled() && (caller == null || !caller.isCancelled())) {
			Thread.interrupted();
		}
	}

	private boolean tryAcquire() {
		while (true) {
			int current = this.active.get();
			if (current >= this.limit) {
				return false;
			}
			if (this.active.compareAndSet(current, current + 1)) {
				return true;
			}
		}
	}

	private @Nullable OffloadTask<?> pollQueued() {
		OffloadTask<?> task = this.queue.poll();
		if (task != null) {
			this.queued.decrementAndGet();
		}
		return task;
	}

	/**
	 * Hands {@code first} and its slot to the executor. When the executor fails (it
	 * refuses work, is closed, or cannot make a thread), the call fails with that error
	 * and the slot goes to the next queued call, so neither a call nor a slot is lost.
	 */
	private void dispatch(OffloadTask<?> first) {
		if (handToWarmWorker(first)) {
			return;
		}
		OffloadTask<?> task = first;
		while (task != null) {
			OffloadTask<?> current = task;
			try {
				this.executor.execute(() -> work(current));
				return;
			}
			catch (RuntimeException | Error ex) {
				this.active.decrementAndGet();
				current.cancel(executorFailure(current, ex));
			}
			task = null;
			if (!this.queue.isEmpty() && tryAcquire()) {
				task = pollQueued();
				if (task == null) {
					release();
				}
			}
		}
	}

	private RuntimeException executorFailure(OffloadTask<?> task, Throwable ex) {
		if (ex instanceof RejectedExecutionException) {
			return new ShuttingDownException("offload pool '" + this.name + "' (its executor refused work)", task.name);
		}
		return new OffloadRejectedException(this.name, task.name, ex);
	}

	/**
	 * Runs {@code first}, then queued calls while there are any, on the same slot: on the
	 * same platform thread, or each on a new virtual thread (a virtual thread is never
	 * reused, so no thread-local of one call can reach the next).
	 */
	private void work(OffloadTask<?> first) {
		OffloadTask<?> task = first;
		while (task != null) {
			task = runOnSlot(task);
		}
	}

	/**
	 * Runs {@code first} and the queued calls after it on the slot it was given, then
	 * frees the slot; on a platform thread, then waits briefly for a call handed over.
	 * @return the call handed over, with its slot, or {@code null}
	 */
	private @Nullable OffloadTask<?> runOnSlot(OffloadTask<?> first) {
		CURRENT_POOL.set(this);
		Thread worker = Thread.currentThread();
		this.workers.add(worker);
		OffloadTask<?> task = first;
		while (true) {
			long queuedAt = task.queuedAt;
			if (queuedAt != 0 && !task.isDone()) {
				this.queueWaits.increment();
				this.queueWaitNanos.add(System.nanoTime() - queuedAt);
			}
			try {
				task.run();
			}
			finally {
				// FutureTask leaves a cancel's interrupt set: clear it so it cannot hit
				// what runs next on this thread.
				Thread.interrupted();
			}
			OffloadTask<?> next = null;
			if (!this.queue.isEmpty()) {
				// Calls are waiting: the outcome goes out while this thread still holds
				// the slot as the pool's worker, so that a continuation waiting for a
				// queued call runs it here (runIfQueued) rather than behind itself. (If
				// the queue empties meanwhile, the second deliver below is a no-op.)
				deliver(task);
				next = pollQueued();
				if (next != null && !this.virtualThreads) {
					task = next;
					continue;
				}
			}
			this.workers.remove(worker);
			CURRENT_POOL.remove();
			if (next != null) {
				// A virtual thread hands the slot and the queued call to a thread of its
				// own.
				dispatch(next);
				return null;
			}
			// Nothing queued: the slot is freed before the outcome goes out, so that a
			// caller that calls again as soon as it has the result finds it free.
			release();
			deliver(task);
			// Offered only once nothing of the last call is left to run here: a call
			// handed over starts at once, never behind a continuation.
			HandOff spot = becomeWarm();
			return (spot != null) ? awaitHandOff(spot) : null;
		}
	}

	/**
	 * Delivers the outcome the call's own thread holds (a no-op when delivered already),
	 * then clears what the body or the caller's continuations left on the thread (an
	 * interrupt, an Observation scope left open), so that none of it reaches the next
	 * call.
	 */
	private void deliver(OffloadTask<?> task) {
		try {
			task.deliverPending();
		}
		finally {
			Thread.interrupted();
			this.contextCapture.clearThreadLocals();
		}
	}

	private void release() {
		this.active.decrementAndGet();
		// A task queued after our last poll but before the release would wait for the
		// next caller: take it now if a slot is free.
		while (!this.queue.isEmpty() && tryAcquire()) {
			OffloadTask<?> next = pollQueued();
			if (next == null) {
				this.active.decrementAndGet();
				continue;
			}
			dispatch(next);
			return;
		}
	}

	/**
	 * Gives an admitted call, with the slot it holds, to the warm worker if there is one.
	 * @return whether a warm worker took it
	 */
	private boolean handToWarmWorker(OffloadTask<?> task) {
		HandOff spot = this.warm.get();
		return spot != null && this.warm.compareAndSet(spot, null) && spot.compareAndSet(null, task);
	}

	/**
	 * On a platform thread that just freed its slot: offers it to the next call
	 * ({@link #handToWarmWorker}), unless another worker is already offered.
	 * @return where a call is handed over, or {@code null}
	 */
	private @Nullable HandOff becomeWarm() {
		if (this.virtualThreads) {
			return null;
		}
		HandOff spot = new HandOff();
		return this.warm.compareAndSet(null, spot) ? spot : null;
	}

	/**
	 * Waits up to {@link #WARM_NANOS}, spinning, for a call handed over with a slot. The
	 * spin costs at most that much CPU after the pool's last call; a call handed over
	 * meanwhile starts without a thread wake-up.
	 * @return the call handed over, or {@code null} when none came
	 */
	private @Nullable OffloadTask<?> awaitHandOff(HandOff spot) {
		long deadline = System.nanoTime() + WARM_NANOS;
		for (int spins = 1;; spins++) {
			Object handed = spot.get();
			if (handed != null) {
				return (OffloadTask<?>) handed;
			}
			Thread.onSpinWait();
			if ((spins & 63) == 0 && System.nanoTime() - deadline > 0) {
				break;
			}
		}
		this.warm.compareAndSet(spot, null);
		// A call may have been handed over between the last look and now.
		return spot.compareAndSet(null, HandOff.GONE) ? null : (OffloadTask<?>) spot.get();
	}

	/** Removes a cancelled call that is still queued. */
	void dequeue(OffloadTask<?> task) {
		if (this.queue.remove(task)) {
			this.queued.decrementAndGet();
		}
	}

	/**
	 * Spins, on a thread that may block, while {@code result} is not done, for as long as
	 * the pool's recent calls took and at most {@link #CALLER_SPIN_NANOS}, so that a
	 * caller about to wait for a short call finds its result before it parks and needs no
	 * wake-up. Does nothing when the pool's recent calls were longer than that, on a
	 * non-blocking thread, or when other callers are spinning on every spare core.
	 */
	void awaitBriefly(Future<?> result) {
		long expected = this.recentCallNanos;
		if (expected > CALLER_SPIN_NANOS || result.isDone() || Schedulers.isInNonBlockingThread()) {
			return;
		}
		try {
			if (spinningCallers.incrementAndGet() > MAX_SPINNING_CALLERS) {
				return;
			}
			long deadline = System.nanoTime() + CALLER_SPIN_NANOS;
			for (int spins = 1; !result.isDone(); spins++) {
				Thread.onSpinWait();
				if ((spins & 63) == 0 && System.nanoTime() - deadline > 0) {
					return;
				}
			}
		}
		finally {
			spinningCallers.decrementAndGet();
		}
	}

	void finished(OffloadTask<?> task, Outcome outcome, long ranNanos) {
		long took = System.nanoTime() - task.created;
		long recent = this.recentCallNanos;
		this.recentCallNanos = (recent == Long.MAX_VALUE) ? took : recent + ((took - recent) >> 3);
		switch (outcome) {
			case COMPLETED -> {
				this.completed.increment();
				this.completedNanos.add(ranNanos);
			}
			case FAILED -> {
				this.failed.increment();
				this.failedNanos.add(ranNanos);
			}
			case CANCELLED -> {
				this.cancelled.increment();
				this.cancelledNanos.add(ranNanos);
			}
		}
		this.inFlight.remove(task);
	}

	/** Runs {@code action} for each admitted call that is not held. */
	void forEachRunning(Consumer<OffloadTask<?>> action) {
		this.inFlight.forEachInFlight(action);
	}

	/** The call running on the thread with this id, if one is. */
	@Nullable OffloadTask<?> runningOn(long threadId) {
		OffloadTask<?>[] found = new OffloadTask<?>[1];
		forEachRunning((task) -> {
			Thread thread = task.thread;
			if (thread != null && thread.getId() == threadId && !task.isDone()) {
				found[0] = task;
			}
		});
		return found[0];
	}

	long countStall() {
		this.stalls.increment();
		return this.stalls.sum();
	}

	long countPinned() {
		this.pinned.increment();
		return this.pinned.sum();
	}

	/** How long the longest-running call still running has run. */
	private Duration oldestRunning() {
		long now = System.nanoTime();
		long[] oldest = new long[1];
		forEachRunning((task) -> {
			long started = task.started;
			if (started != 0 && !task.isDone()) {
				oldest[0] = Math.max(oldest[0], now - started);
			}
		});
		return Duration.ofNanos(oldest[0]);
	}

	OffloadStats stats() {
		return new OffloadStats(this.name, this.virtualThreads, this.limit, this.active.get(),
				Math.max(0, this.queued.get()), this.queueCapacity, this.rejected.sum(), this.completed.sum(),
				Duration.ofNanos(this.completedNanos.sum()), this.failed.sum(),
				Duration.ofNanos(this.failedNanos.sum()), this.cancelled.sum(),
				Duration.ofNanos(this.cancelledNanos.sum()), this.queueWaits.sum(),
				Duration.ofNanos(this.queueWaitNanos.sum()), this.inFlight.held(), this.stalls.sum(), oldestRunning(),
				this.pinned.sum());
	}

	boolean pause() {
		return this.inFlight.pause();
	}

	/** Calls still running until {@code deadline}, after a pause. */
	int awaitQuiescence(long deadline) {
		return this.inFlight.awaitQuiescence(deadline).size();
	}

	int resume() {
		return this.inFlight.resume();
	}

	void beginShutdown() {
		this.inFlight.stopAccepting();
	}

	/**
	 * Waits for in-flight calls until {@code deadline}, cancels the rest (queued ones
	 * first, so none of them starts), and stops the executor the pool built.
	 */
	ShutdownReport finishShutdown(long deadline, Duration drainBudget) {
		long start = System.nanoTime();
		beginShutdown();
		List<String> cancelledNames = new ArrayList<>();
		String component = "offload pool '" + this.name + "'";
		// Calls held while paused never started: they are cancelled first, at once, and
		// not waited for.
		for (OffloadTask<?> task : this.inFlight.takeHeld()) {
			if (task.cancel(new CancelledByShutdownException(component, task.name, drainBudget))) {
				cancelledNames.add(task.name);
			}
		}
		List<OffloadTask<?>> left = this.inFlight.awaitDrained(deadline);
		left.sort(Comparator.comparing((OffloadTask<?> task) -> task.started != 0)
			.thenComparingLong((task) -> task.created));
		for (OffloadTask<?> task : left) {
			if (task.cancel(new CancelledByShutdownException(component, task.name, drainBudget))) {
				cancelledNames.add(task.name);
			}
		}
		// A call the shutdown could not cancel had its end claimed already (a refusal by
		// the full pool, its body's return): it leaves within an instant, and the count
		// below must see it leave (a refused call is not drained).
		this.inFlight.awaitGone(left, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
		ExecutorService owned = this.ownedExecutor;
		if (owned != null) {
			owned.shutdown();
			try {
				if (!owned.awaitTermination(1, TimeUnit.SECONDS)) {
					owned.shutdownNow();
				}
				this.ownedThreads.join(Duration.ofSeconds(1));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return new ShutdownReport(component, Math.max(0, this.inFlight.inFlightAtShutdown() - cancelledNames.size()),
				cancelledNames.size(), cancelledNames.subList(0, Math.min(5, cancelledNames.size())),
				Duration.ofNanos(System.nanoTime() - start));
	}

	/**
	 * Where a warm worker waits for a call: empty while it waits, then the call handed
	 * over, or {@link #GONE} once the worker left.
	 */
	@SuppressWarnings("serial")
	private static final class HandOff extends AtomicReference<@Nullable Object> {

		static final Object GONE = new Object();

	}

}
