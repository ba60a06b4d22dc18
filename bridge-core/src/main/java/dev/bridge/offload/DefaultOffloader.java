/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.loop.LoopRunner;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * The {@link Offloader} built by {@link Offloader.Builder}: a view of one pool (and a
 * per-call timeout) over a set of pools that all views share, and shut down together.
 */
final class DefaultOffloader implements Offloader {

	/**
	 * The Reactor context key under which the loop names the thread that waits
	 * synchronously for the work it subscribes ({@code LoopWork.AWAITED_BY}: keep the two
	 * in step).
	 */
	static final String AWAITED_BY = "dev.bridge.awaited-by";

	private final Pools pools;

	private final OffloadPool pool;

	/**
	 * The timeout given to {@link #timeout(Duration)}, or {@code null} for the pool's.
	 */
	private final @Nullable Duration explicitTimeout;

	/** The calls' timeout in milliseconds, 0 for none. */
	private final long timeoutMillis;

	/** The setting the calls' timeout came from, for the error of one that ran out. */
	private final String timeoutSource;

	private final @Nullable String name;

	DefaultOffloader(Map<String, PoolSpec> specs, ContextCapture contextCapture, boolean interruptOnCancel,
			Scheduler timer, List<OffloadStallEvent.Listener> stallListeners, boolean pinningDetection,
			Offloader.@Nullable CallObserver callObserver, Duration shutdownTimeout) {
		this(new Pools(specs, contextCapture, interruptOnCancel, timer, stallListeners, pinningDetection, callObserver,
				shutdownTimeout), null, null, null);
	}

	private DefaultOffloader(Pools pools, @Nullable OffloadPool pool, @Nullable Duration timeout,
			@Nullable String name) {
		this.pools = pools;
		this.pool = (pool != null) ? pool : pools.byName.get(PoolSpec.DEFAULT_POOL);
		this.explicitTimeout = timeout;
		this.timeoutMillis = roundUpToMillis((timeout != null) ? timeout : this.pool.timeout);
		this.timeoutSource = (timeout != null) ? OffloadTask.CALL_TIMEOUT : OffloadTask.poolTimeout(this.pool);
		this.name = name;
	}

	/**
	 * A timeout in whole milliseconds, as the timer counts it, rounded up: a positive
	 * timeout under a millisecond is one, not none (zero).
	 */
	private static long roundUpToMillis(Duration timeout) {
		long millis = timeout.toMillis();
		return (timeout.compareTo(Duration.ofMillis(millis)) > 0) ? millis + 1 : millis;
	}

	private String nameOr(String operation) {
		return (this.name != null) ? this.name : operation;
	}

	@Override
	public <T> Mono<T> mono(Callable<T> blocking) {
		String name = nameOr("mono(Callable)");
		return Mono.deferContextual((context) -> {
			CompletableFuture<T> result = startAwaited(blocking, name, context.getOrDefault(AWAITED_BY, null), context);
			// A subscriber on a thread that may block is most often about to wait:
			// a short call's result found now is emitted at once, without a wake-up.
			this.pool.awaitBriefly(result);
			return Mono.fromFuture(result, false);
		});
	}

	@Override
	public <T> CompletableFuture<T> future(Callable<T> blocking) {
		return start(blocking, nameOr("future(Callable)"));
	}

	@Override
	public <T> Flux<T> flux(Callable<? extends Stream<T>> blocking) {
		String name = nameOr("flux(Callable)");
		return Flux.deferContextual((context) -> {
			Scheduler loop = loopScheduler();
			Demand demand = new Demand(loop != null);
			Flux<T> items = Flux.create((sink) -> {
				sink.onRequest((n) -> demand.signal());
				CompletableFuture<Void> drain = start(() -> {
					demand.call = OffloadTask.running();
					demand.worker = Thread.currentThread();
					try (Stream<T> stream = blocking.call()) {
						Iterator<T> iterator = stream.iterator();
						while (iterator.hasNext()) {
							if (!demand.await(sink)) {
								return null;
							}
							demand.taken();
							sink.next(iterator.next());
						}
					}
					sink.complete();
					return null;
				}, name, context);
				drain.whenComplete((ignored, error) -> {
					if (error != null) {
						sink.error(error);
					}
				});
				sink.onCancel(() -> drain.cancel(true));
			}, FluxSink.OverflowStrategy.ERROR);
			// The hand-off to the loop requests a buffer's worth ahead of the
			// subscriber: the pool thread reads only what the subscriber requested.
			return (loop != null) ? items.publishOn(loop).doOnRequest(demand::grant) : items;
		});
	}

	private <T> CompletableFuture<T> start(Callable<T> blocking, String name, Object... contexts) {
		return startAwaited(blocking, name, null, contexts);
	}

	/**
	 * Submits a call; {@code awaitedBy} is the thread known to wait for its result (a
	 * pool worker waiting through the loop), so that the pool can lend it that worker's
	 * slot.
	 */
	private <T> CompletableFuture<T> startAwaited(Callable<T> blocking, String name, @Nullable Thread awaitedBy,
			Object... contexts) {
		Offloader.CallObserver observer = this.pools.callObserver;
		if (observer == null) {
			OffloadTask<T> task = new OffloadTask<>(name, this.pool, this.pools.contextCapture.wrap(blocking, contexts),
					loopScheduler(), this.pools.interruptOnCancel, this.timeoutMillis, this.timeoutSource,
					this.pools.timer);
			this.pool.submit(task, awaitedBy);
			return task.result;
		}
		ObservedCall<T> observed = new ObservedCall<>(observer, blocking);
		OffloadTask<T> task = new OffloadTask<>(name, this.pool, this.pools.contextCapture.wrap(observed, contexts),
				loopScheduler(), this.pools.interruptOnCancel, this.timeoutMillis, this.timeoutSource,
				this.pools.timer);
		observed.task = task;
		task.observer = observer;
		task.observation = observer.submitted(this.pool.name, name);
		try {
			this.pool.submit(task, awaitedBy);
		}
		catch (RuntimeException ex) {
			observer.finished(task.observation, "rejected", 0, ex);
			throw ex;
		}
		return task.result;
	}

	@Override
	public Scheduler scheduler() {
		return new PoolScheduler(this::execute, (task) -> this.pools.contextCapture.wrap(task),
				this.pools.interruptOnCancel);
	}

	/**
	 * Runs a scheduler's task as a call on this pool, under the scheduling thread's
	 * context; nobody awaits its result, so it is not delivered back to a loop.
	 * @throws OffloadRejectedException when the pool refuses it
	 */
	private CompletableFuture<?> execute(Runnable command) {
		String name = nameOr("scheduler(" + this.pool.name + ")");
		OffloadTask<@Nullable Object> task = new OffloadTask<>(name, this.pool,
				this.pools.contextCapture.wrap(Executors.callable(command)), null, this.pools.interruptOnCancel,
				this.timeoutMillis, this.timeoutSource, this.pools.timer);
		this.pool.submit(task, null);
		return task.result;
	}

	private static @Nullable Scheduler loopScheduler() {
		LoopRunner loop = LoopRunner.current();
		return (loop != null) ? loop.scheduler() : null;
	}

	@Override
	public Offloader pool(String name) {
		OffloadPool named = this.pools.byName.get(name);
		if (named == null) {
			throw new IllegalArgumentException("no offload pool named '" + name + "'; configured pools are "
					+ this.pools.byName.keySet() + " (add it under bridge.offload.pools." + name + ")");
		}
		return new DefaultOffloader(this.pools, named, null, this.name);
	}

	@Override
	public Offloader timeout(Duration timeout) {
		return new DefaultOffloader(this.pools, this.pool, PoolSpec.checkDuration("timeout", timeout), this.name);
	}

	@Override
	public Offloader named(String name) {
		return new DefaultOffloader(this.pools, this.pool, this.explicitTimeout, name);
	}

	@Override
	public Set<String> poolNames() {
		return this.pools.byName.keySet();
	}

	@Override
	public OffloadStats stats() {
		return this.pool.stats();
	}

	@Override
	public void pause() {
		this.pools.byName.values().forEach(OffloadPool::pause);
	}

	@Override
	public int awaitQuiescence(Duration budget) {
		// A negative budget is none, as for the loop runner; one too large is refused.
		PoolSpec.checkDuration("budget (the argument of awaitQuiescence(Duration))", atLeastZero(budget));
		long deadline = System.nanoTime() + budget.toNanos();
		return this.pools.byName.values().stream().mapToInt((pool) -> pool.awaitQuiescence(deadline)).sum();
	}

	@Override
	public int resume() {
		return this.pools.byName.values().stream().mapToInt(OffloadPool::resume).sum();
	}

	@Override
	public void beginShutdown() {
		this.pools.byName.values().forEach(OffloadPool::beginShutdown);
	}

	@Override
	public ShutdownReport finishShutdown(Duration drainBudget) {
		Duration budget = PoolSpec.checkDuration("drainBudget (the argument of finishShutdown(Duration))",
				atLeastZero(drainBudget));
		return this.pools.finishShutdown(budget);
	}

	private static Duration atLeastZero(Duration budget) {
		return budget.isNegative() ? Duration.ZERO : budget;
	}

	@Override
	public void close() {
		finishShutdown(this.pools.shutdownTimeout);
	}

	/** Whether pinned virtual threads of the pools are being reported. */
	boolean detectsPinning() {
		return this.pools.pinnedThreads != null;
	}

	@Override
	public String toString() {
		return "Offloader[pool=" + this.pool.name + "]";
	}

	/**
	 * The pools every view shares, and their one shutdown.
	 */
	private static final class Pools {

		final Map<String, OffloadPool> byName;

		final ContextCapture contextCapture;

		final boolean interruptOnCancel;

		/** Times the calls' timeouts. */
		final Scheduler timer;

		private final OffloadWatchdog watchdog;

		final Offloader.@Nullable CallObserver callObserver;

		private final @Nullable PinnedThreadMonitor pinnedThreads;

		private @Nullable ShutdownReport report;

		/** The drain budget of {@link Offloader#close()}. */
		final Duration shutdownTimeout;

		Pools(Map<String, PoolSpec> specs, ContextCapture contextCapture, boolean interruptOnCancel, Scheduler timer,
				List<OffloadStallEvent.Listener> stallListeners, boolean pinningDetection,
				Offloader.@Nullable CallObserver callObserver, Duration shutdownTimeout) {
			this.callObserver = callObserver;
			this.shutdownTimeout = shutdownTimeout;
			Map<String, OffloadPool> pools = new LinkedHashMap<>();
			specs.forEach((name, spec) -> pools.put(name, new OffloadPool(name, spec, contextCapture)));
			this.byName = Collections.unmodifiableMap(pools);
			this.contextCapture = contextCapture;
			this.interruptOnCancel = interruptOnCancel;
			this.timer = timer;
			this.watchdog = new OffloadWatchdog(this.byName.values(), stallListeners);
			this.pinnedThreads = pinningDetection
					? PinnedThreadMonitor.startIfUseful(this.byName.values(), this.watchdog) : null;
		}

		synchronized ShutdownReport finishShutdown(Duration drainBudget) {
			if (this.report != null) {
				return this.report;
			}
			long start = System.nanoTime();
			this.byName.values().forEach(OffloadPool::beginShutdown);
			long deadline = start + drainBudget.toNanos();
			int drained = 0;
			int cancelled = 0;
			List<String> cancelledNames = new ArrayList<>();
			for (OffloadPool pool : this.byName.values()) {
				ShutdownReport poolReport = pool.finishShutdown(deadline, drainBudget);
				drained += poolReport.drained();
				cancelled += poolReport.cancelled();
				cancelledNames.addAll(poolReport.oldestCancelled());
			}
			this.watchdog.stop();
			PinnedThreadMonitor monitor = this.pinnedThreads;
			if (monitor != null) {
				monitor.close();
			}
			this.report = new ShutdownReport("bridge-offload", drained, cancelled,
					cancelledNames.subList(0, Math.min(5, cancelledNames.size())),
					Duration.ofNanos(System.nanoTime() - start));
			return this.report;
		}

	}

	/**
	 * A call's body between the observer's start and the end of the body, inside the
	 * caller's restored context (so the observer's scope nests under the caller's).
	 */
	private static final class ObservedCall<T> implements Callable<T> {

		private final Offloader.CallObserver observer;

		private final Callable<T> body;

		@Nullable OffloadTask<T> task;

		ObservedCall(Offloader.CallObserver observer, Callable<T> body) {
			this.observer = observer;
			this.body = body;
		}

		@Override
		public T call() throws Exception {
			OffloadTask<T> running = this.task;
			long queuedAt = (running != null) ? running.queuedAt : 0;
			long waited = (queuedAt != 0) ? Math.max(0, running.started - queuedAt) : -1;
			AutoCloseable scope = this.observer.started((running != null) ? running.observation : null, waited);
			try {
				return this.body.call();
			}
			finally {
				if (scope != null) {
					scope.close();
				}
			}
		}

	}

	/**
	 * Lets the pool thread draining a blocking stream wait for downstream demand.
	 */
	private static final class Demand {

		volatile @Nullable Thread worker;

		/**
		 * What the subscriber requested and was not read for yet, when a hand-off to the
		 * loop stands between it and the sink; unbounded otherwise.
		 */
		private final AtomicLong granted;

		/**
		 * The call draining the stream: once it is done while its body still runs, a
		 * timeout or the shutdown cancelled it, and the flux has ended with that error.
		 */
		volatile @Nullable OffloadTask<?> call;

		Demand(boolean handOff) {
			this.granted = new AtomicLong(handOff ? 0 : Long.MAX_VALUE);
		}

		/** The subscriber behind the hand-off requested {@code n} more. */
		void grant(long n) {
			this.granted.getAndUpdate((granted) -> Operators.addCap(granted, n));
			signal();
		}

		/** The pool thread is about to read one item. */
		void taken() {
			this.granted.getAndUpdate((granted) -> (granted == Long.MAX_VALUE) ? granted : granted - 1);
		}

		void signal() {
			Thread waiting = this.worker;
			if (waiting != null) {
				LockSupport.unpark(waiting);
			}
		}

		/**
		 * Parks until the sink has demand; false when the subscriber went away or the
		 * call was cancelled (its timeout, the shutdown), even with demand left.
		 */
		boolean await(FluxSink<?> sink) {
			while (sink.requestedFromDownstream() == 0 || this.granted.get() == 0) {
				if (ended(sink) || Thread.currentThread().isInterrupted()) {
					return false;
				}
				LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
			}
			return !ended(sink);
		}

		private boolean ended(FluxSink<?> sink) {
			OffloadTask<?> running = this.call;
			return sink.isCancelled() || (running != null && running.isDone());
		}

	}

}
