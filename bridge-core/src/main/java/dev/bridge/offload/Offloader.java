/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.ShutdownReport;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs blocking code on bounded pools and hands the result to reactive or asynchronous
 * callers: the Java counterpart of asyncio's {@code to_thread}, with the caller's context
 * carried along.
 * <p>
 * Each pool admits at most its concurrency limit of calls at once and queues at most its
 * queue capacity more; beyond that a call is rejected at once with an
 * {@link OffloadRejectedException} that names the pool and the property to raise. Pools
 * run on virtual threads when the JVM has them (unless configured otherwise) and on
 * platform threads else. The caller's context ({@link ContextCapture}) is captured at the
 * call and restored around the body. Cancelling a returned {@code Mono} subscription or
 * future interrupts the running body when interrupt-on-cancel is on. When the caller is a
 * {@link dev.bridge.loop.LoopRunner} loop thread, results are delivered back on that
 * loop. All methods are thread-safe.
 *
 * @since 0.1.0
 */
public interface Offloader extends AutoCloseable {

	/**
	 * An offloader with one {@code default} pool with default settings.
	 * @return a new offloader
	 */
	static Offloader create() {
		return builder().build();
	}

	/**
	 * A builder for an offloader with custom pools.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * A lazy {@code Mono} that runs {@code blocking} on the pool once per subscription.
	 * @param <T> the result type
	 * @param blocking the blocking code; a {@code null} result completes the {@code Mono}
	 * empty
	 * @return the result, or the body's exception as is
	 */
	<T> Mono<T> mono(Callable<T> blocking);

	/**
	 * Starts {@code blocking} on the pool now.
	 * @param <T> the result type
	 * @param blocking the blocking code
	 * @return a future of its result; cancelling it cancels the call
	 */
	<T> CompletableFuture<T> future(Callable<T> blocking);

	/**
	 * A lazy {@code Flux} that opens the blocking stream on the pool once per
	 * subscription and drains it with backpressure: the pool thread reads an item only
	 * once it is requested, but for one item read ahead by the iterator's
	 * {@code hasNext()} to find the end of the stream. The drain is one call: it holds a
	 * slot of the pool while it waits for demand too, and the timeout bounds it as a
	 * whole. The stream is closed once: before the flux completes or fails with the
	 * stream's own error, and, after a cancel, a timeout or the shutdown, as soon as the
	 * pool thread stops reading (at once when it waits for demand; an iterator blocked in
	 * a read must first return or answer the interrupt), which may be after the flux has
	 * failed.
	 * @param <T> the item type
	 * @param blocking opens the blocking stream (for example a JDBC cursor)
	 * @return the items
	 */
	<T> Flux<T> flux(Callable<? extends Stream<T>> blocking);

	/**
	 * The same API on a named pool.
	 * @param name a pool name from {@link #poolNames()}
	 * @return the offloader for that pool
	 * @throws IllegalArgumentException when no such pool is configured
	 */
	Offloader pool(String name);

	/**
	 * The same API and pool with a different per-call timeout.
	 * @param timeout bound for one call, queue wait included; zero for none
	 * @return an offloader view with that timeout
	 */
	Offloader timeout(Duration timeout);

	/**
	 * The same API, pool and timeout, with the calls it starts named {@code name} in
	 * stall warnings, pinning events, shutdown reports, errors and observations (Bridge's
	 * aspects name them after the annotated method). The default returns this offloader:
	 * a decorator that does not carry names may keep it.
	 * @param name what the calls are, such as {@code "OrderRepository.findById"}
	 * @return an offloader view whose calls carry that name
	 * @since 0.1.0
	 */
	default Offloader named(String name) {
		return this;
	}

	/**
	 * Names of all configured pools, {@code default} first.
	 * @return the pool names
	 */
	Set<String> poolNames();

	/**
	 * A snapshot of this offloader's pool.
	 * @return the pool's statistics
	 */
	OffloadStats stats();

	/**
	 * A Reactor {@link Scheduler} view of this offloader's pool, for
	 * {@code subscribeOn(..)}/{@code publishOn(..)}: every task it runs is a call on the
	 * pool, under the same bulkhead (limit and queue), context capture (the scheduling
	 * thread's context is restored around the task), statistics and metrics, and shutdown
	 * drain as {@link #mono} and the annotations. A task the pool refuses makes
	 * {@code schedule} throw the pool's {@link OffloadRejectedException} (or its
	 * shutting-down exception); {@code publishOn}/{@code subscribeOn} deliver it to the
	 * subscriber as Reactor's "Scheduler unavailable" rejection, caused by it. A worker
	 * runs its tasks in order, one pool call per busy period. Disposing a scheduled task
	 * cancels the call (interrupting it when the offloader interrupts on cancel). The
	 * pool's timeout bounds each task, not a whole sequence: a worker's task that
	 * outlives it is cancelled as a call would be, and so is its worker. (A
	 * {@code publishOn} task emits every item it finds queued, so a fast source can make
	 * one task of a whole sequence.) The scheduler is not time-capable (no delays or
	 * periods). Disposing it refuses its later tasks, its workers' included, and reports
	 * it disposed; tasks it accepted run, and the pool goes on for everything else.
	 * <p>
	 * The default implementation submits each task (or a worker's busy period) through
	 * {@link #future}, so an offloader that decorates another gets a scheduler that goes
	 * through its own calls.
	 * @return a scheduler over this pool
	 */
	default Scheduler scheduler() {
		return new PoolScheduler((task) -> future(Executors.callable(task)), UnaryOperator.identity(), true);
	}

	/**
	 * Holds new calls on every pool from now on, until {@link #resume()}: calls in flight
	 * go on, and calls made meanwhile are accepted and start when the offloader resumes.
	 * Nothing is refused or closed: this is what a stopped Spring context does. Does
	 * nothing when paused or shut down already. A pool view ({@link #pool},
	 * {@link #timeout}) acts on the whole offloader. The default does nothing: a
	 * decorator forwards it to the offloader it decorates.
	 */
	default void pause() {
	}

	/**
	 * Waits, after {@link #pause()}, until the calls that were in flight when it paused
	 * have finished, or {@code budget} runs out. Held calls are not waited for: they have
	 * not started. The default returns 0 at once.
	 * @param budget how long to wait at most: zero or positive, within the 64-bit
	 * nanoseconds the pools' timers count in (about 292 years)
	 * @return how many calls are still running
	 * @throws IllegalArgumentException when {@code budget} is negative or too large
	 */
	default int awaitQuiescence(Duration budget) {
		return 0;
	}

	/**
	 * Starts the calls held while paused, in the order they came, and accepts new calls
	 * again. Does nothing unless paused. The default returns 0.
	 * @return how many held calls were started
	 */
	default int resume() {
		return 0;
	}

	/**
	 * The first step of a shutdown shared with other components: from now on every call
	 * on every pool fails with a {@link dev.bridge.lifecycle.ShuttingDownException};
	 * calls already accepted go on. Idempotent. The default does nothing.
	 */
	default void beginShutdown() {
	}

	/**
	 * The second step of a shutdown: waits up to {@code drainBudget} for accepted calls
	 * to finish, cancels what is left (each caller gets a
	 * {@link dev.bridge.lifecycle.CancelledByShutdownException}) and stops the threads
	 * the pools own. Calls {@link #beginShutdown()} first if nobody did. Idempotent: a
	 * second call returns the first report. The default reports nothing done.
	 * @param drainBudget how long to let in-flight calls finish; zero cancels at once; at
	 * most the 64-bit nanoseconds the pools' timers count in (about 292 years)
	 * @return what happened to the calls that were in flight
	 * @throws IllegalArgumentException when {@code drainBudget} is negative or too large
	 */
	default ShutdownReport finishShutdown(Duration drainBudget) {
		return ShutdownReport.nothingToDrain(toString());
	}

	/**
	 * Shuts every pool down gracefully: {@link #finishShutdown(Duration)} with the
	 * builder's shutdown timeout. Idempotent.
	 */
	@Override
	default void close() {
		finishShutdown(Builder.DEFAULT_SHUTDOWN_TIMEOUT);
	}

	/**
	 * Builds {@link Offloader} instances. Not thread-safe.
	 */
	final class Builder {

		static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

		private final Map<String, PoolSpec> pools = new LinkedHashMap<>();

		private ContextCapture contextCapture = ContextCapture.none();

		private boolean interruptOnCancel = true;

		private Scheduler timer = Schedulers.parallel();

		private final List<OffloadStallEvent.Listener> stallListeners = new ArrayList<>();

		private boolean pinningDetection = true;

		private @Nullable CallObserver callObserver;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		Builder() {
			this.pools.put(PoolSpec.DEFAULT_POOL, new PoolSpec());
		}

		/**
		 * Configures the {@code default} pool.
		 * @param customizer changes the pool's settings
		 * @return this builder
		 */
		public Builder defaultPool(Consumer<PoolSpec> customizer) {
			return pool(PoolSpec.DEFAULT_POOL, customizer);
		}

		/**
		 * Adds or configures a named pool.
		 * @param name the pool name
		 * @param customizer changes the pool's settings
		 * @return this builder
		 */
		public Builder pool(String name, Consumer<PoolSpec> customizer) {
			if (name.isBlank()) {
				throw new IllegalArgumentException("pool name must not be blank (bridge.offload.pools)");
			}
			customizer.accept(this.pools.computeIfAbsent(name, (key) -> new PoolSpec()));
			return this;
		}

		/**
		 * Sets the context carried from callers to pool threads.
		 * @param contextCapture the capture, {@link ContextCapture#none()} by default
		 * @return this builder
		 */
		public Builder contextCapture(ContextCapture contextCapture) {
			this.contextCapture = Objects.requireNonNull(contextCapture, "contextCapture");
			return this;
		}

		/**
		 * Sets whether cancelling a call interrupts its running body.
		 * @param interruptOnCancel {@code true} by default
		 * @return this builder
		 */
		public Builder interruptOnCancel(boolean interruptOnCancel) {
			this.interruptOnCancel = interruptOnCancel;
			return this;
		}

		/**
		 * Sets the scheduler that times per-call timeouts: a call's timeout is a task
		 * scheduled on it, after the timeout's delay, that cancels the call. Tests pass a
		 * virtual-time scheduler (Reactor's {@code VirtualTimeScheduler}, see the
		 * {@code bridge-test} module) so that a call times out when the test advances
		 * virtual time, not after the real delay.
		 * @param timer the scheduler, {@link Schedulers#parallel()} by default; the
		 * offloader does not dispose it
		 * @return this builder
		 */
		public Builder timer(Scheduler timer) {
			this.timer = Objects.requireNonNull(timer, "timer");
			return this;
		}

		/**
		 * Adds a listener told about calls past their pool's stall threshold
		 * ({@link PoolSpec#stallThreshold(Duration)}) and pinned virtual threads.
		 * Listeners come in addition to the stall log, which every offloader keeps: a
		 * warning per stall and per pinning with the thread's stack, at most one per
		 * pool, method and 10 s, on logger {@code dev.bridge.offload.OffloadStallLogger};
		 * set that logger to {@code OFF} to silence it.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder stallListener(OffloadStallEvent.Listener listener) {
			this.stallListeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Sets whether pinned virtual threads of the pools are reported (Java 21 and
		 * later, through a JFR event stream of {@code jdk.VirtualThreadPinned}; nothing
		 * is started on older JVMs or without a virtual-thread pool).
		 * @param pinningDetection {@code true} by default
		 * @return this builder
		 */
		public Builder pinningDetection(boolean pinningDetection) {
			this.pinningDetection = pinningDetection;
			return this;
		}

		/**
		 * Sets who sees each call's admission, start and end (for timers and traces).
		 * @param callObserver the observer; none by default
		 * @return this builder
		 */
		public Builder callObserver(CallObserver callObserver) {
			this.callObserver = Objects.requireNonNull(callObserver, "callObserver");
			return this;
		}

		/**
		 * Sets the drain budget {@link Offloader#close()} gives calls in flight.
		 * @param shutdownTimeout zero or positive, 30 seconds by default
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = PoolSpec.checkDuration("shutdownTimeout", shutdownTimeout);
			return this;
		}

		/**
		 * Builds the offloader and its pools.
		 * @return the offloader for the {@code default} pool
		 */
		public Offloader build() {
			return new DefaultOffloader(this.pools, this.contextCapture, this.interruptOnCancel, this.timer,
					this.stallListeners, this.pinningDetection, this.callObserver, this.shutdownTimeout);
		}

	}

	/**
	 * The settings of one offload pool, changed through {@link Offloader.Builder}. Each
	 * setter validates its value at once and says what is wrong with it (the starter adds
	 * the {@code bridge.offload} property the value came from). Not thread-safe.
	 *
	 * @since 0.1.0
	 */
	final class PoolSpec {

		static final String DEFAULT_POOL = "default";

		static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofSeconds(30);

		private ThreadMode threads = ThreadMode.AUTO;

		private int maxConcurrency = 256;

		private int queueCapacity = 10_000;

		private Duration timeout = Duration.ZERO;

		private Duration stallThreshold = DEFAULT_STALL_THRESHOLD;

		private @Nullable Executor executor;

		PoolSpec() {
		}

		/**
		 * Sets the kind of thread the pool builds when no executor is given.
		 * @param threads the mode, {@link ThreadMode#AUTO} by default
		 * @return this spec
		 */
		public PoolSpec threads(ThreadMode threads) {
			this.threads = Objects.requireNonNull(threads, "threads");
			return this;
		}

		/**
		 * Sets how many calls may run at once.
		 * @param maxConcurrency a positive count, 256 by default
		 * @return this spec
		 */
		public PoolSpec maxConcurrency(int maxConcurrency) {
			if (maxConcurrency <= 0) {
				throw new IllegalArgumentException("maxConcurrency must be positive but was " + maxConcurrency);
			}
			this.maxConcurrency = maxConcurrency;
			return this;
		}

		/**
		 * Sets how many calls may wait for a free slot before new ones are rejected.
		 * @param queueCapacity zero or positive, 10,000 by default
		 * @return this spec
		 */
		public PoolSpec queueCapacity(int queueCapacity) {
			if (queueCapacity < 0) {
				throw new IllegalArgumentException("queueCapacity must not be negative but was " + queueCapacity);
			}
			this.queueCapacity = queueCapacity;
			return this;
		}

		/**
		 * Sets the bound of one call, queue wait included.
		 * @param timeout zero for none (the default), else positive
		 * @return this spec
		 */
		public PoolSpec timeout(Duration timeout) {
			this.timeout = checkDuration("timeout", timeout);
			return this;
		}

		/**
		 * Sets how long a call may run before it is reported as stalled (once, with its
		 * stack, to the stall log and the {@link OffloadStallEvent.Listener}s, and
		 * counted). The call goes on: this only makes a hung call visible;
		 * {@link #timeout(Duration)} ends it.
		 * @param stallThreshold zero for no reports, else positive; 30 seconds by default
		 * @return this spec
		 */
		public PoolSpec stallThreshold(Duration stallThreshold) {
			this.stallThreshold = checkDuration("stallThreshold", stallThreshold);
			return this;
		}

		/**
		 * Checks one of the offloader's durations (its timeouts and stall threshold):
		 * zero or positive, and within the 64-bit nanoseconds its timers count in. The
		 * offload package's only copy of this rule; the starter does not repeat it, it
		 * names the property a refused value came from.
		 * @param name the setting, for the message
		 * @param value the duration
		 * @return {@code value}
		 */
		static Duration checkDuration(String name, Duration value) {
			if (value.isNegative()) {
				throw new IllegalArgumentException(name + " must not be negative but was " + value);
			}
			try {
				value.toNanos();
			}
			catch (ArithmeticException ex) {
				throw new IllegalArgumentException(
						name + " is too large: " + value + " does not fit in 64-bit nanoseconds (about 292 years)");
			}
			return value;
		}

		/**
		 * Sets the executor that runs admitted calls, instead of one the pool builds. The
		 * pool never submits more than its concurrency limit of tasks to it at once, and
		 * does not shut it down: its owner does.
		 * @param executor the executor, for example a Spring {@code TaskExecutor}
		 * @return this spec
		 */
		public PoolSpec executor(Executor executor) {
			this.executor = Objects.requireNonNull(executor, "executor");
			return this;
		}

		ThreadMode threads() {
			return this.threads;
		}

		int maxConcurrency() {
			return this.maxConcurrency;
		}

		int queueCapacity() {
			return this.queueCapacity;
		}

		Duration timeout() {
			return this.timeout;
		}

		Duration stallThreshold() {
			return this.stallThreshold;
		}

		@Nullable Executor executor() {
			return this.executor;
		}

	}

	/**
	 * Which kind of thread a pool runs blocking calls on.
	 *
	 * @since 0.1.0
	 */
	enum ThreadMode {

		/**
		 * Virtual threads when the running JVM has them (Java 21+), platform threads
		 * otherwise.
		 */
		AUTO,

		/**
		 * Virtual threads; building the pool fails on a JVM without them.
		 */
		VIRTUAL,

		/**
		 * Platform threads, at most the pool's concurrency limit of them.
		 */
		PLATFORM;

		/**
		 * Whether the running JVM supports virtual threads.
		 * @return {@code true} on Java 21 and later
		 */
		public static boolean virtualThreadsAvailable() {
			return VirtualThreads.AVAILABLE;
		}

		/**
		 * A factory of virtual threads named {@code <prefix><n>} that, like every thread
		 * Bridge creates, do not inherit the creating thread's
		 * {@code InheritableThreadLocal}s, for an executor given to a virtual pool.
		 * @param prefix the start of each thread's name, followed by its number from 0
		 * @return the factory
		 * @throws IllegalStateException on a JVM without virtual threads (before Java 21)
		 */
		public static ThreadFactory virtualThreadFactory(String prefix) {
			return VirtualThreads.newThreadFactory(prefix);
		}

	}

	/**
	 * Sees each offloaded call's three moments, for timers with distributions and for
	 * traces (the starter builds one over Micrometer's {@code Timer}s and
	 * {@code Observation}s). Called on the call's own path, so implementations must be
	 * quick and must not throw.
	 *
	 * @since 0.1.0
	 */
	public interface CallObserver {

		/**
		 * The call was admitted; called on the caller's thread, under the caller's
		 * context.
		 * @param pool the pool's name
		 * @param task the call's name (the annotated method when it came from one)
		 * @return state handed to the two other methods, or {@code null}
		 */
		@Nullable Object submitted(String pool, String task);

		/**
		 * The call's body is about to run; called on the worker thread, under the
		 * caller's restored context.
		 * @param state what {@link #submitted} returned
		 * @param queueWaitNanos how long the call waited in the pool's queue for a slot,
		 * or -1 when it got one at once
		 * @return closed when the body has run (a scope, say), or {@code null}
		 */
		@Nullable AutoCloseable started(@Nullable Object state, long queueWaitNanos);

		/**
		 * The call ended, however it ended (a call cancelled before it started included).
		 * @param state what {@link #submitted} returned
		 * @param outcome {@code success}, {@code error}, {@code cancelled}, or
		 * {@code rejected} when the pool refused it at admission (full, or shutting down)
		 * @param ranNanos how long the body ran (zero when it never started)
		 * @param error the body's exception or the cancel's reason, {@code null} on
		 * success
		 */
		void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error);

	}

}
