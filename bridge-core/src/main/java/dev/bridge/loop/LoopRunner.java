/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.ShutdownReport;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One long-lived event-loop thread that synchronous code submits work to and waits on:
 * the Java counterpart of asyncio's thread runner ({@code run}, {@code wrap_iter},
 * {@code enter_context}, graceful exit).
 * <p>
 * The loop thread is a Reactor {@link reactor.core.scheduler.NonBlocking} thread, so
 * Reactor's own {@code block()} guard fires on it, and work on it is serialised: state
 * touched only from the loop needs no lock.
 * <p>
 * Waiting methods ({@link #run}, {@link #call}, {@link #stream}, {@link #manage} and the
 * futures returned by {@link #submit}) are deadlock-guarded: on the loop thread
 * {@code call} runs inline, while a wait that could never end (on the loop for the loop,
 * or on another non-blocking thread such as a Netty event loop) fails at once with a
 * {@link LoopDeadlockException}. Every wait is bounded by the call timeout and fails with
 * a {@link LoopTimeoutException} when it runs out.
 * <p>
 * {@link #close()} is graceful: new work is refused with a
 * {@link dev.bridge.lifecycle.ShuttingDownException}, work in flight gets the shutdown
 * timeout to finish, the rest is cancelled with a
 * {@link dev.bridge.lifecycle.CancelledByShutdownException}, managed resources are closed
 * in reverse order and the loop's threads stop. All methods are thread-safe.
 *
 * @since 0.1.0
 */
public interface LoopRunner extends AutoCloseable {

	/**
	 * A runner with default settings; its threads start at once.
	 * @return a new runner named {@code bridge-loop-N}
	 */
	static LoopRunner create() {
		return builder().build();
	}

	/**
	 * A builder for a runner with custom settings.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * The runner whose loop thread is the calling thread.
	 * @return that runner, or {@code null} when the caller is not a loop thread
	 */
	static @Nullable LoopRunner current() {
		return (Thread.currentThread() instanceof LoopThread loopThread) ? loopThread.runner() : null;
	}

	/**
	 * Subscribes to {@code work} on the loop and waits for it, up to the call timeout.
	 * @param <T> the value type
	 * @param work the work
	 * @return its value, or {@code null} if it completed empty
	 * @throws LoopDeadlockException when called on this loop or another non-blocking
	 * thread
	 * @throws LoopTimeoutException when the timeout runs out (the work is cancelled)
	 * @throws RuntimeException the work's own unchecked exception or {@code Error}, as
	 * is; a checked one wrapped once in a
	 * {@link java.util.concurrent.CompletionException}
	 */
	<T> @Nullable T run(Mono<T> work);

	/**
	 * Subscribes to {@code work} on the loop and waits for it, up to {@code timeout}
	 * instead of the call timeout.
	 * @param <T> the value type
	 * @param work the work
	 * @param timeout how long to wait: positive, and within the 64-bit nanoseconds the
	 * loop's timers count in (about 292 years)
	 * @return its value, or {@code null} if it completed empty
	 * @throws IllegalArgumentException when {@code timeout} is zero, negative or too
	 * large
	 * @throws LoopTimeoutException when {@code timeout} runs out (the work is cancelled)
	 * @see #run(Mono)
	 */
	<T> @Nullable T run(Mono<T> work, Duration timeout);

	/**
	 * Runs plain code on the loop and waits for its result, up to the call timeout.
	 * Called on the loop thread itself, it runs {@code task} inline.
	 * @param <T> the result type
	 * @param task the code
	 * @return what {@code task} returned
	 * @throws LoopDeadlockException when called on another non-blocking thread
	 * @throws LoopTimeoutException when the timeout runs out
	 */
	<T> @Nullable T call(Callable<T> task);

	/**
	 * Subscribes to {@code work} on the loop without waiting. Cancelling the future
	 * cancels the work; waiting on it ({@code get}/{@code join}) is deadlock-guarded like
	 * {@link #run(Mono)}, and so is waiting on the futures derived from it through its
	 * own methods ({@code thenApply}, {@code thenCompose}, {@code copy}, ...). A plain
	 * {@code CompletableFuture} made from it, such as
	 * {@code minimalCompletionStage().toCompletableFuture()} or {@code allOf(..)}, is not
	 * guarded: waiting on one on the loop hangs the loop for good, so compose there
	 * instead of waiting.
	 * @param <T> the value type
	 * @param work the work
	 * @return a future completed on the loop with the work's value ({@code null} if
	 * empty)
	 */
	<T> CompletableFuture<T> submit(Mono<T> work);

	/**
	 * Iterates {@code source}, subscribed on the loop, from the calling thread. At most
	 * the prefetch (256 unless configured) items are buffered, so a slow consumer slows
	 * the source instead of filling memory. Closing the stream (use try-with-resources)
	 * cancels the source.
	 * <p>
	 * A stream read to its end, or ended by an error, releases everything by itself. A
	 * stream left unread part way, by an early-ending operation ({@code findFirst},
	 * {@code anyMatch}, {@code limit}, ...) or by an exception, does not close itself:
	 * its source subscription, its buffered items and its place among the work that
	 * shutdown drains stay until the garbage collector finds the stream unreachable, and
	 * only then is the source cancelled. Close such streams with try-with-resources to
	 * release them at once.
	 * @param <T> the item type
	 * @param source the items
	 * @return a sequential stream of the items; each wait for the next item is bounded by
	 * the call timeout
	 * @throws LoopDeadlockException when called on this loop or another non-blocking
	 * thread, and from the stream when it would wait for an item there
	 */
	<T> Stream<T> stream(Publisher<T> source);

	/**
	 * Opens a loop-bound resource on the loop now and registers it to be closed on the
	 * loop when the runner closes, after in-flight work, in reverse order of opening. The
	 * resource is registered as the open emits it, so it is closed at shutdown even when
	 * its caller stopped waiting for it (a timeout, an interrupt).
	 * @param <R> the resource type
	 * @param open the work that opens the resource
	 * @param close the work that closes it
	 * @return the opened resource
	 */
	<R> R manage(Mono<R> open, Function<? super R, ? extends Publisher<Void>> close);

	/**
	 * Opens a loop-bound resource on the loop for the length of a block: the handle's
	 * {@link Scoped#close()} (use try-with-resources) closes it on the loop and waits,
	 * instead of leaving it open until the runner closes as {@link #manage} does. What
	 * asyncio's {@code async with} gives a loop thread: <pre>{@code
	 * try (LoopRunner.Scoped<Session> session = loop.open(client.connect(), (s, failure) -> s.close())) {
	 *     session.resource().send(..);
	 * }
	 * }</pre> Opening and closing wait like {@link #run(Mono)}: bounded by the call
	 * timeout and deadlock-guarded (called on the loop itself, or on another non-blocking
	 * thread, they fail at once). To let the closer see what the block threw, use
	 * {@link #using}, or hand it to {@link Scoped#close(Throwable)}.
	 * @param <R> the resource type
	 * @param open the work that opens the resource; it must emit it
	 * @param close the work that closes it, given the resource and what the block threw
	 * ({@code null} when it completed)
	 * @return the handle of the open resource
	 */
	default <R> Scoped<R> open(Mono<R> open,
			BiFunction<? super R, ? super @Nullable Throwable, ? extends Publisher<Void>> close) {
		R resource = run(open);
		if (resource == null) {
			throw new IllegalArgumentException(
					"open(..): the open Mono completed empty; it must emit the resource the block uses");
		}
		return new ScopedResource<>(this, resource, close);
	}

	/**
	 * Runs {@code block} with a resource opened on the loop, and closes the resource on
	 * the loop when the block ends, handing the closer what the block threw (or
	 * {@code null}). The block's exception reaches the caller, with a failure of the
	 * closer added as suppressed; a closer failing after a block that completed is
	 * thrown. Waits as {@link #open} does.
	 * @param <R> the resource type
	 * @param <T> the block's result type
	 * @param open the work that opens the resource; it must emit it
	 * @param block the code that uses the resource, on the calling thread
	 * @param close the work that closes it, given the resource and what the block threw
	 * @return what the block returned
	 */
	default <R, T> T using(Mono<R> open, Function<? super R, ? extends T> block,
			BiFunction<? super R, ? super @Nullable Throwable, ? extends Publisher<Void>> close) {
		Scoped<R> scoped = open(open, close);
		T result;
		try {
			result = block.apply(scoped.resource());
		}
		catch (Throwable ex) {
			// Any throwable ends the block, a checked one thrown undeclared (Kotlin,
			// @SneakyThrows) too; rethrown as itself.
			try {
				scoped.close(ex);
			}
			catch (RuntimeException | Error closeFailure) {
				// A closer may hand back what the block threw: it cannot suppress itself.
				if (closeFailure != ex) {
					ex.addSuppressed(closeFailure);
				}
			}
			throw ex;
		}
		scoped.close();
		return result;
	}

	/**
	 * A resource opened on the loop by {@link #open}, closed on the loop when its scope
	 * ends. Closing is idempotent: only the first close runs the closer.
	 *
	 * @param <R> the resource type
	 */
	interface Scoped<R> extends AutoCloseable {

		/**
		 * The open resource.
		 * @return the resource
		 */
		R resource();

		/**
		 * Closes the resource on the loop and waits for the closer, which is given
		 * {@code failure}.
		 * @param failure what ended the scope, or {@code null} when it completed
		 * @throws LoopDeadlockException when called, on a handle still open, on the loop
		 * or another non-blocking thread; the resource stays open, to be closed from a
		 * thread that may wait
		 */
		void close(@Nullable Throwable failure);

		/**
		 * Closes the resource on the loop and waits; the closer is given {@code null}.
		 */
		@Override
		default void close() {
			close(null);
		}

	}

	/**
	 * A Reactor scheduler that runs on this loop, for
	 * {@code publishOn}/{@code subscribeOn}. The runner owns it: do not dispose it;
	 * {@link #close()} stops it.
	 * @return the loop's scheduler
	 */
	Scheduler scheduler();

	/**
	 * The same runner with the work submitted through the view ({@code run},
	 * {@code call}, {@code submit}, {@code stream}, {@code manage}) named {@code name} in
	 * stall warnings, shutdown reports, errors and observations (Bridge's aspects name it
	 * after the annotated method). Everything else, {@code close()} included, acts on
	 * this runner. The default returns this runner: a decorator that does not carry names
	 * may keep it.
	 * @param name what the work is, such as {@code "PriceBoard.refresh"}
	 * @return a view of this runner whose work carries that name
	 * @since 0.1.0
	 */
	default LoopRunner named(String name) {
		return this;
	}

	/**
	 * Whether the calling thread is this runner's loop thread.
	 * @return {@code true} on the loop thread
	 */
	boolean inLoop();

	/**
	 * A snapshot of the loop's health and counters.
	 * @return the current statistics
	 */
	LoopStats stats();

	/**
	 * Holds new work from now on, until {@link #resume()}: work in flight goes on, and
	 * work submitted meanwhile is accepted and starts when the runner resumes (its caller
	 * waits within its own timeout). Nothing is refused or closed, so what callers hold
	 * (the runner, its managed resources) stays valid: this is what a stopped Spring
	 * context does. Does nothing when paused or shut down already. The default does
	 * nothing: a decorator forwards it to the runner it decorates.
	 */
	default void pause() {
	}

	/**
	 * Waits, after {@link #pause()}, until the work that was in flight when it paused has
	 * finished, or {@code budget} runs out. Held work is not waited for: it has not
	 * started. The default returns 0 at once.
	 * @param budget how long to wait at most, within the 64-bit nanoseconds the loop's
	 * timers count in (about 292 years)
	 * @return how many calls are still running
	 * @throws IllegalArgumentException when {@code budget} is too large
	 */
	default int awaitQuiescence(Duration budget) {
		return 0;
	}

	/**
	 * Starts the work held while paused, in the order it came, and accepts new work
	 * again. Does nothing unless paused. The default returns 0.
	 * @return how many held calls were started
	 */
	default int resume() {
		return 0;
	}

	/**
	 * The first step of a shutdown shared with other components: from now on every
	 * submission fails with a {@link dev.bridge.lifecycle.ShuttingDownException}; work
	 * already accepted goes on. Idempotent. The default does nothing.
	 */
	default void beginShutdown() {
	}

	/**
	 * The second step of a shutdown: waits up to {@code drainBudget} for accepted work to
	 * finish, cancels what is left (each waiting caller gets a
	 * {@link dev.bridge.lifecycle.CancelledByShutdownException}), closes managed
	 * resources in reverse order and stops the loop's threads. Calls
	 * {@link #beginShutdown()} first if nobody did. Idempotent: a second call returns the
	 * first report. The default reports nothing done.
	 * @param drainBudget how long to let in-flight work finish; zero cancels at once; at
	 * most the 64-bit nanoseconds the loop's timers count in (about 292 years)
	 * @return what happened to the work that was in flight
	 * @throws IllegalArgumentException when {@code drainBudget} is too large
	 * @throws LoopDeadlockException when called on the loop thread itself
	 */
	default ShutdownReport finishShutdown(Duration drainBudget) {
		return ShutdownReport.nothingToDrain(toString());
	}

	/**
	 * Shuts the runner down gracefully: {@link #finishShutdown(Duration)} with the
	 * builder's shutdown timeout, the report logged. Idempotent.
	 * @throws LoopDeadlockException when called on the loop thread itself
	 */
	@Override
	void close();

	/**
	 * Builds {@link LoopRunner} instances. Not thread-safe; each {@link #build()} makes
	 * an independent runner.
	 */
	final class Builder {

		private String threadName = "bridge-loop";

		private @Nullable TaskObserver taskObserver;

		private Duration callTimeout = Duration.ofSeconds(30);

		private Duration stallThreshold = Duration.ofMillis(200);

		private Duration lagProbeInterval = Duration.ofMillis(500);

		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private int prefetch = 256;

		private ContextCapture contextCapture = ContextCapture.none();

		private final List<LoopStallEvent.Listener> stallListeners = new ArrayList<>();

		private @Nullable Scheduler timer;

		Builder() {
		}

		/**
		 * Sets the loop thread's name prefix; the thread is named {@code <prefix>-<n>}.
		 * @param threadName the prefix, {@code bridge-loop} by default
		 * @return this builder
		 */
		public Builder threadName(String threadName) {
			if (threadName.isBlank()) {
				throw new IllegalArgumentException("threadName must not be blank (bridge.loop.thread-name)");
			}
			this.threadName = threadName;
			return this;
		}

		/**
		 * Sets how long a synchronous caller waits for loop work by default.
		 * @param callTimeout a positive duration, 30 seconds by default
		 * @return this builder
		 */
		public Builder callTimeout(Duration callTimeout) {
			this.callTimeout = positive(callTimeout, "callTimeout", "bridge.loop.call-timeout");
			return this;
		}

		/**
		 * Sets how long one loop task may run before the watchdog reports a stall.
		 * @param stallThreshold a positive duration, 200 ms by default
		 * @return this builder
		 */
		public Builder stallThreshold(Duration stallThreshold) {
			this.stallThreshold = positive(stallThreshold, "stallThreshold", "bridge.loop.stall-threshold");
			return this;
		}

		/**
		 * Sets the period of the heartbeat that measures the loop's scheduling lag.
		 * @param lagProbeInterval a positive duration, 500 ms by default
		 * @return this builder
		 */
		public Builder lagProbeInterval(Duration lagProbeInterval) {
			this.lagProbeInterval = positive(lagProbeInterval, "lagProbeInterval", "bridge.loop.lag-probe-interval");
			return this;
		}

		/**
		 * Sets the drain budget {@link LoopRunner#close()} gives in-flight work.
		 * @param shutdownTimeout zero or positive, 30 seconds by default
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			if (shutdownTimeout.isNegative()) {
				throw new IllegalArgumentException(
						"shutdownTimeout must not be negative (bridge.shutdown.timeout) but was " + shutdownTimeout);
			}
			this.shutdownTimeout = fitsInNanos(shutdownTimeout, "shutdownTimeout", "bridge.shutdown.timeout");
			return this;
		}

		/**
		 * Sets how many items {@link LoopRunner#stream} buffers ahead of its consumer.
		 * @param prefetch a positive count, 256 by default
		 * @return this builder
		 */
		public Builder prefetch(int prefetch) {
			if (prefetch <= 0) {
				throw new IllegalArgumentException("prefetch must be positive but was " + prefetch);
			}
			this.prefetch = prefetch;
			return this;
		}

		/**
		 * Sets the context carried from callers of {@link LoopRunner#call},
		 * {@link LoopRunner#run} and {@link LoopRunner#submit} onto the loop, where it is
		 * in place while the callable runs or the {@code Mono} is subscribed.
		 * @param contextCapture the capture, {@link ContextCapture#none()} by default
		 * @return this builder
		 */
		public Builder contextCapture(ContextCapture contextCapture) {
			this.contextCapture = Objects.requireNonNull(contextCapture, "contextCapture");
			return this;
		}

		/**
		 * Adds a listener told about every stall the watchdog detects. Listeners come in
		 * addition to the stall log, which every runner keeps: a warning per stall with
		 * the loop thread's stack, at most one per task and 10 s (a stall while the loop
		 * loads classes is logged once per task at INFO, without the stack), on logger
		 * {@code dev.bridge.loop.LoopStallLogger}; set that logger to {@code OFF} to
		 * silence it.
		 * @param listener the listener, called after the log on the runner's thread for
		 * its stall listeners
		 * @return this builder
		 */
		public Builder stallListener(LoopStallEvent.Listener listener) {
			this.stallListeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Sets who sees each piece of work end (for timers).
		 * @param taskObserver the observer; none by default
		 * @return this builder
		 */
		public Builder taskObserver(TaskObserver taskObserver) {
			this.taskObserver = Objects.requireNonNull(taskObserver, "taskObserver");
			return this;
		}

		/**
		 * Sets a scheduler that also times the waits of {@link LoopRunner#run} and
		 * {@link LoopRunner#call} (and synchronous {@code @RunOnLoop} methods): when the
		 * timeout's delay has passed on it, the wait fails with a
		 * {@link LoopTimeoutException}. The wait stays bounded in real time as well.
		 * Tests pass a virtual-time scheduler (Reactor's {@code VirtualTimeScheduler},
		 * see the {@code bridge-test} module) so that a wait times out when the test
		 * advances virtual time. Waits for the items of {@link LoopRunner#stream} are
		 * timed in real time only.
		 * @param timer the scheduler, none by default; the runner does not dispose it
		 * @return this builder
		 */
		public Builder timer(Scheduler timer) {
			this.timer = Objects.requireNonNull(timer, "timer");
			return this;
		}

		/**
		 * Builds and starts the runner.
		 * @return the running runner
		 */
		public LoopRunner build() {
			DefaultLoopRunner runner = new DefaultLoopRunner(this.threadName, this.callTimeout, this.stallThreshold,
					this.lagProbeInterval, this.shutdownTimeout, this.prefetch, this.contextCapture,
					List.copyOf(this.stallListeners), this.timer);
			runner.taskObserver = this.taskObserver;
			return runner;
		}

		private static Duration positive(Duration value, String name, String key) {
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be positive (" + key + ") but was " + value);
			}
			return fitsInNanos(value, name, key);
		}

		/**
		 * Checks that a duration fits in the 64-bit nanoseconds the loop's timers count
		 * in: the loop package's only copy of this rule (the starter relies on it for the
		 * {@code bridge.loop} keys and {@code @RunOnLoop} timeouts, the runner for the
		 * durations its methods take).
		 * @param value the duration
		 * @param name the setting or argument, for the message
		 * @param key where it came from (a property, a method), for the message
		 * @return {@code value}
		 * @throws IllegalArgumentException when it does not fit
		 */
		static Duration fitsInNanos(Duration value, String name, String key) {
			try {
				value.toNanos();
				return value;
			}
			catch (ArithmeticException ex) {
				throw new IllegalArgumentException(name + " (" + key + ") is too large: " + value
						+ " does not fit in 64-bit nanoseconds (about 292 years)");
			}
		}

	}

	/**
	 * Sees each piece of work the loop runner runs through its API, for timers with
	 * distributions (the starter records {@code bridge.loop.tasks} with it) and for
	 * traces (the starter's {@code bridge.loop.call} observations). Called on the work's
	 * own path, so implementations must be quick and must not throw. Only
	 * {@link #finished(String, long)} must be implemented; the other methods do nothing
	 * by default.
	 *
	 * @since 0.1.0
	 */
	@FunctionalInterface
	public interface TaskObserver {

		/**
		 * The work is about to be handed to the loop; called on the caller's thread,
		 * under the caller's context.
		 * @param task the work's name (the annotated method when it came from one)
		 * @return state handed to {@link #started(Object)} and
		 * {@link #finished(Object, String, long, Throwable)}, or {@code null}
		 */
		default @Nullable Object submitted(String task) {
			return null;
		}

		/**
		 * The work is about to start on the loop; called on the loop thread, under the
		 * caller's restored context.
		 * @param state what {@link #submitted} returned
		 * @return closed once the work has started (a scope, say), or {@code null}
		 */
		default @Nullable AutoCloseable started(@Nullable Object state) {
			return null;
		}

		/**
		 * The work ended, however it ended. By default calls
		 * {@link #finished(String, long)} unless the outcome is {@code rejected} (work
		 * the runner refused is not counted).
		 * @param state what {@link #submitted} returned
		 * @param outcome {@code success}, {@code error}, {@code cancelled} (its caller, a
		 * timeout or shutdown), or {@code rejected} when the runner refused it at
		 * admission (shut down)
		 * @param ranNanos how long it ran on the loop (zero when it never started)
		 * @param error the work's exception or the cancel's reason, {@code null} on
		 * success
		 */
		default void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
			if (!"rejected".equals(outcome)) {
				finished(outcome, ranNanos);
			}
		}

		/**
		 * The work ended.
		 * @param outcome {@code success}, {@code error} or {@code cancelled} (its caller,
		 * a timeout or shutdown)
		 * @param ranNanos how long it ran on the loop (zero when it never started)
		 */
		void finished(String outcome, long ranNanos);

	}

}
