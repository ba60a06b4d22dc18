/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import dev.bridge.context.ContextCapture;
import dev.bridge.lifecycle.CancelledByShutdownException;
import dev.bridge.lifecycle.ShutdownReport;
import dev.bridge.lifecycle.ShuttingDownException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link LoopRunner} built by {@link LoopRunner.Builder}: a {@link LoopExecutor} seen
 * by Reactor as a scheduler, a registry of in-flight work for the shutdown drain, a lag
 * probe and a stall watchdog on the executor's timer thread, which tells the stall
 * listeners on a thread of their own.
 */
final class DefaultLoopRunner implements LoopRunner {

	private static final Logger logger = LoggerFactory.getLogger(DefaultLoopRunner.class);

	private static final Map<String, AtomicInteger> threadNumbers = new ConcurrentHashMap<>();

	/**
	 * What to raise when a wait up to the call timeout ran out: the setting, or the
	 * {@code @RunOnLoop} method's own timeout, which the starter passes to
	 * {@link #run(Mono, Duration)}.
	 */
	static final String CALL_TIMEOUT = "bridge.loop.call-timeout or the @RunOnLoop timeout";

	/**
	 * What to raise when a wait up to the timeout passed to {@link #run(Mono, Duration)}
	 * ran out: that timeout, not the call timeout, which did not apply.
	 */
	static final String RUN_TIMEOUT = "the timeout passed to run(Mono, Duration) (for a @RunOnLoop method, its "
			+ "timeout attribute)";

	private final String threadName;

	private final LoopExecutor executor;

	private final Scheduler scheduler;

	private final long callTimeoutNanos;

	private final long stallThresholdNanos;

	private final Duration stallThreshold;

	private final Duration shutdownTimeout;

	private final int prefetch;

	private final ContextCapture contextCapture;

	/** The stall log, told first, on the timer thread. */
	private final LoopStallEvent.Listener stallLogger = new LoopStallLogger();

	private final List<LoopStallEvent.Listener> stallListeners;

	/**
	 * Tells the stall listeners, one event after another, on a thread of its own that
	 * starts at the first stall: not on the timer thread, which also moves the loop's
	 * delayed tasks and heartbeats onto it, so a listener that blocks (a pager's HTTP
	 * call) delays no {@code Mono.delay} on the loop. {@code null} without listeners.
	 */
	private final @Nullable ThreadPoolExecutor stallNotifier;

	/** The notifier's thread, joined at shutdown. */
	private volatile @Nullable Thread stallNotifierThread;

	/** Times synchronous waits besides real time, when set (virtual time in tests). */
	private final @Nullable Scheduler timer;

	private final LoopGate gate = new LoopGate();

	private final Deque<Managed<?>> managed = new ArrayDeque<>();

	/**
	 * Where the handles of streams their callers dropped are enqueued once unreachable.
	 */
	private final ReferenceQueue<Object> unreachableStreams = new ReferenceQueue<>();

	private volatile @Nullable ShutdownReport report;

	private boolean resourcesClosed;

	private final LongAdder completed = new LongAdder();

	private final LongAdder completedNanos = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder failedNanos = new LongAdder();

	private final LongAdder cancelled = new LongAdder();

	private final LongAdder cancelledNanos = new LongAdder();

	/** Sees each tracked work end; set by the builder before the runner is handed out. */
	volatile LoopRunner.@Nullable TaskObserver taskObserver;

	private final AtomicLong stalls = new AtomicLong();

	private volatile long lastStalledTask = -1;

	private volatile long lastLagNanos;

	private volatile long heartbeatSentAt;

	DefaultLoopRunner(String threadNamePrefix, Duration callTimeout, Duration stallThreshold, Duration lagProbeInterval,
			Duration shutdownTimeout, int prefetch, ContextCapture contextCapture,
			List<LoopStallEvent.Listener> listeners, @Nullable Scheduler timer) {
		this.threadName = threadNamePrefix + "-"
				+ threadNumbers.computeIfAbsent(threadNamePrefix, (key) -> new AtomicInteger()).incrementAndGet();
		this.callTimeoutNanos = callTimeout.toNanos();
		this.stallThreshold = stallThreshold;
		this.stallThresholdNanos = stallThreshold.toNanos();
		this.shutdownTimeout = shutdownTimeout;
		this.prefetch = prefetch;
		this.contextCapture = contextCapture;
		// The stall log always, ahead of any listeners.
		this.stallListeners = List.copyOf(listeners);
		this.stallNotifier = listeners.isEmpty() ? null
				: new ThreadPoolExecutor(1, 1, 0, TimeUnit.NANOSECONDS, new LinkedBlockingQueue<>(), (task) -> {
					Thread notifier = new Thread(null, task, this.threadName + "-stall-listeners", 0, false);
					notifier.setDaemon(true);
					this.stallNotifierThread = notifier;
					return notifier;
				});
		this.timer = timer;
		this.executor = new LoopExecutor(this, this.threadName, contextCapture);
		this.scheduler = Schedulers.fromExecutorService(this.executor, this.threadName);
		long probeNanos = lagProbeInterval.toNanos();
		this.executor.timer().scheduleAtFixedRate(this::probeLag, probeNanos, probeNanos, TimeUnit.NANOSECONDS);
		long watchNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5),
				Math.min(this.stallThresholdNanos / 4, TimeUnit.MILLISECONDS.toNanos(250)));
		this.executor.timer().scheduleAtFixedRate(this::watchForStall, watchNanos, watchNanos, TimeUnit.NANOSECONDS);
	}

	String threadName() {
		return this.threadName;
	}

	@Override
	public <T> @Nullable T run(Mono<T> work) {
		return run(work, null, null);
	}

	@Override
	public <T> @Nullable T run(Mono<T> work, Duration timeout) {
		return run(work, timeout, null);
	}

	/**
	 * {@link #run(Mono, Duration)} with the work named {@code name}; a {@code null}
	 * timeout is the call timeout, a {@code null} name the operation's.
	 */
	<T> @Nullable T run(Mono<T> work, @Nullable Duration timeout, @Nullable String name) {
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("timeout (the argument of run(Mono, Duration)) must be positive but was "
					+ timeout + "; pass a positive duration, or call run(Mono) to wait up to the call timeout "
					+ "(bridge.loop.call-timeout)");
		}
		long timeoutNanos = (timeout != null)
				? LoopRunner.Builder.fitsInNanos(timeout, "timeout", "the argument of run(Mono, Duration)").toNanos()
				: this.callTimeoutNanos;
		guardWait("run(Mono)");
		LoopWork<T> loopWork = observed(
				LoopWork.ofMono(this, nameOr(name, "run(Mono)"), work, false, this.contextCapture));
		return acceptAndAwait(loopWork, timeoutNanos, "run(Mono)", (timeout != null) ? RUN_TIMEOUT : CALL_TIMEOUT);
	}

	private static String nameOr(@Nullable String name, String operation) {
		return (name != null) ? name : operation;
	}

	@Override
	public LoopRunner named(String name) {
		return new NamedLoopRunner(this, name);
	}

	@Override
	public <T> @Nullable T call(Callable<T> task) {
		return call(task, null);
	}

	/** {@link #call(Callable)} with the work named {@code name} unless {@code null}. */
	<T> @Nullable T call(Callable<T> task, @Nullable String name) {
		if (inLoop()) {
			try {
				// Inline, but isolated like a hop: what the task changes in the
				// thread's context does not leak back into its caller.
				return this.contextCapture.wrap(task).call();
			}
			catch (Exception ex) {
				return LoopWork.report(null, ex);
			}
		}
		guardWait("call(Callable)");
		LoopWork<T> work = observed(
				LoopWork.ofCallable(this, nameOr(name, "call(Callable)"), task, this.contextCapture));
		return acceptAndAwait(work, this.callTimeoutNanos, "call(Callable)", CALL_TIMEOUT);
	}

	/**
	 * Hands {@code work} to the loop and waits for it in real time, and on the timer as
	 * well when there is one (armed first, so it runs before the work can start).
	 * @param timeoutSource the setting the timeout came from, for the error of a wait
	 * that ran out ({@link #CALL_TIMEOUT}, {@link #RUN_TIMEOUT})
	 */
	private <T> @Nullable T acceptAndAwait(LoopWork<T> work, long timeoutNanos, String operation,
			String timeoutSource) {
		Scheduler clock = this.timer;
		if (clock == null) {
			accept(work, operation);
			return work.await(timeoutNanos, operation, timeoutSource);
		}
		Disposable timeout = clock.schedule(() -> work.cancel(work.timedOut(timeoutNanos, operation, timeoutSource)),
				timeoutNanos, TimeUnit.NANOSECONDS);
		try {
			accept(work, operation);
			return work.await(timeoutNanos, operation, timeoutSource);
		}
		finally {
			timeout.dispose();
		}
	}

	@Override
	public <T> CompletableFuture<T> submit(Mono<T> work) {
		return submit(work, null);
	}

	/** {@link #submit(Mono)} with the work named {@code name} unless {@code null}. */
	<T> CompletableFuture<T> submit(Mono<T> work, @Nullable String name) {
		LoopWork<T> loopWork = observed(
				LoopWork.ofMono(this, nameOr(name, "submit(Mono)"), work, true, this.contextCapture));
		accept(loopWork, "submit(Mono)");
		return loopWork.future();
	}

	@Override
	public <T> Stream<T> stream(Publisher<T> source) {
		return stream(source, null);
	}

	/**
	 * {@link #stream(Publisher)} with the work named {@code name} unless {@code null}.
	 */
	<T> Stream<T> stream(Publisher<T> source, @Nullable String name) {
		guardWait("stream(Publisher)");
		StreamWork<T> work = observed(
				new StreamWork<>(this, nameOr(name, "stream(Publisher)"), this.prefetch, this.callTimeoutNanos));
		// With a task observer, the source is subscribed to on the loop with what the
		// observer opens for the work (its observation's scope) in place.
		Publisher<T> started = (this.taskObserver != null)
				? (subscriber) -> start(work, () -> source.subscribe(subscriber)) : source;
		Runnable subscribe = () -> Flux.from(started).subscribeOn(this.scheduler).subscribe(work);
		if (admit(work, "stream(Publisher)", subscribe)) {
			subscribe.run();
		}
		// The caller holds the stream, the stream holds the handle, the handle holds the
		// work; the work (held by the source and the in-flight set) does not hold the
		// handle, so an abandoned stream's handle becomes unreachable and its work is
		// released by releaseAbandonedStreams().
		StreamHandle<T> handle = new StreamHandle<>(work);
		work.watch(handle, this.unreachableStreams);
		return StreamSupport
			.stream(Spliterators.spliteratorUnknownSize(handle, Spliterator.ORDERED | Spliterator.NONNULL), false)
			.onClose(work::close);
	}

	/**
	 * Releases streams their callers dropped without reading them to the end or closing
	 * them, once the garbage collector found them unreachable. Runs on the timer thread
	 * with the stall watchdog, and before the shutdown drain.
	 */
	private void releaseAbandonedStreams() {
		Reference<?> reference;
		while ((reference = this.unreachableStreams.poll()) != null) {
			((StreamWork.Abandoned) reference).release();
		}
	}

	/**
	 * What the caller's stream iterates: a handle on the work that the work does not
	 * reference back.
	 */
	private static final class StreamHandle<T> implements Iterator<T> {

		private final StreamWork<T> work;

		StreamHandle(StreamWork<T> work) {
			this.work = work;
		}

		@Override
		public boolean hasNext() {
			return this.work.hasNext();
		}

		@Override
		public T next() {
			return this.work.next();
		}

	}

	@Override
	public <R> R manage(Mono<R> open, Function<? super R, ? extends Publisher<Void>> close) {
		return manage(open, close, null);
	}

	/**
	 * {@link #manage(Mono, Function)} with the resource named {@code name} unless
	 * {@code null} (then it is named by its {@code toString()}).
	 */
	<R> R manage(Mono<R> open, Function<? super R, ? extends Publisher<Void>> close, @Nullable String name) {
		// Registered by the open work as it emits, before that work ends: the shutdown
		// drains the work before it closes the managed resources, so it finds this one.
		R resource = run(
				open.doOnNext((opened) -> register(new Managed<>(nameOr(name, opened.toString()), opened, close))),
				null, name);
		if (resource == null) {
			throw new IllegalArgumentException("manage(..): the open Mono of " + nameOr(name, "a resource")
					+ " completed empty; it must emit the resource to close later");
		}
		return resource;
	}

	/**
	 * Registers a resource as its open work emits it, to be closed at shutdown; once the
	 * shutdown has closed the managed resources (its drain gave up on the open), closes
	 * it at once without waiting.
	 */
	private void register(Managed<?> entry) {
		synchronized (this.managed) {
			if (!this.resourcesClosed) {
				this.managed.push(entry);
				return;
			}
		}
		entry.close(this.scheduler, 0);
	}

	@Override
	public Scheduler scheduler() {
		return this.scheduler;
	}

	@Override
	public boolean inLoop() {
		return Thread.currentThread() == this.executor.thread();
	}

	@Override
	public LoopStats stats() {
		long now = System.nanoTime();
		long sent = this.heartbeatSentAt;
		long lag = Math.max(this.lastLagNanos, (sent != 0) ? now - sent : 0);
		long taskStart = this.executor.taskStart();
		LoopGate.Phase gate = this.gate.phase();
		LoopStats.State state = (gate == LoopGate.Phase.SHUT_DOWN) ? LoopStats.State.SHUT_DOWN
				: !this.executor.thread().isAlive() ? LoopStats.State.DEAD
						: (gate == LoopGate.Phase.PAUSED) ? LoopStats.State.PAUSED : LoopStats.State.RUNNING;
		boolean alive = state == LoopStats.State.RUNNING || state == LoopStats.State.PAUSED;
		return new LoopStats(this.threadName, alive, Duration.ofNanos(lag), this.executor.pending(), this.gate.size(),
				this.completed.sum(), Duration.ofNanos(this.completedNanos.sum()), this.failed.sum(),
				Duration.ofNanos(this.failedNanos.sum()), this.cancelled.sum(),
				Duration.ofNanos(this.cancelledNanos.sum()), this.stalls.get(),
				Duration.ofNanos((taskStart != 0) ? Math.max(0, now - taskStart) : 0), state, this.gate.held());
	}

	@Override
	public void close() {
		boolean first = this.report == null;
		ShutdownReport result = finishShutdown(this.shutdownTimeout);
		if (first) {
			logger.info("Loop runner shut down: {}", result.summary());
		}
	}

	@Override
	public void pause() {
		if (this.gate.pause()) {
			logger.debug("Loop runner {} paused: new work is held until it resumes", this.threadName);
		}
	}

	@Override
	public int awaitQuiescence(Duration budget) {
		LoopRunner.Builder.fitsInNanos(budget, "budget", "the argument of awaitQuiescence(Duration)");
		return this.gate.awaitQuiescence(System.nanoTime() + budget.toNanos());
	}

	@Override
	public int resume() {
		int released = this.gate.resume();
		if (released > 0) {
			logger.debug("Loop runner {} resumed: started {} calls held while paused", this.threadName, released);
		}
		return released;
	}

	/**
	 * What a caller whose wait ran out should know when the runner is paused.
	 */
	String pausedNote() {
		return (this.gate.phase() == LoopGate.Phase.PAUSED)
				? "; loop runner " + this.threadName
						+ " is paused (its application context is stopped) and holds new work until it is started again"
				: "";
	}

	@Override
	public void beginShutdown() {
		this.gate.stopAccepting();
	}

	@Override
	public ShutdownReport finishShutdown(Duration drainBudget) {
		LoopRunner.Builder.fitsInNanos(drainBudget, "drainBudget", "the argument of finishShutdown(Duration)");
		ShutdownReport done = this.report;
		if (done != null) {
			return done;
		}
		// Checked before the lock: a shutdown running on another thread holds it while it
		// waits for the loop's work, this call's task included.
		if (inLoop()) {
			throw new LoopDeadlockException("close() called on loop thread '" + this.threadName
					+ "' cannot wait for the loop's own work to drain; close the runner from another thread");
		}
		return shutDown(drainBudget);
	}

	private synchronized ShutdownReport shutDown(Duration drainBudget) {
		ShutdownReport done = this.report;
		if (done != null) {
			return done;
		}
		beginShutdown();
		releaseAbandonedStreams();
		long start = System.nanoTime();
		long deadline = start + drainBudget.toNanos();
		// Work held while paused never started: it is cancelled first, at once, and not
		// waited for.
		List<String> cancelledNames = new ArrayList<>();
		for (TrackedWork work : this.gate.takeHeld()) {
			if (work.cancel(new CancelledByShutdownException(this.threadName, work.name, drainBudget))) {
				cancelledNames.add(work.name);
			}
		}
		List<TrackedWork> left = this.gate.awaitDrained(deadline);
		left.sort(Comparator.comparingLong((work) -> work.created));
		for (TrackedWork work : left) {
			if (work.cancel(new CancelledByShutdownException(this.threadName, work.name, drainBudget))) {
				cancelledNames.add(work.name);
			}
		}
		// Closing managed resources shares the shutdown budget with the drain: a close
		// still running at its end goes on on the loop while the loop stops.
		closeManaged(deadline);
		if (!this.executor.stop(1000)) {
			logger.warn("Loop thread {} did not stop after shutdown", this.threadName);
		}
		stopStallNotifier();
		ShutdownReport result = new ShutdownReport(this.threadName,
				Math.max(0, this.gate.inFlightAtShutdown() - cancelledNames.size()), cancelledNames.size(),
				cancelledNames.subList(0, Math.min(5, cancelledNames.size())),
				Duration.ofNanos(System.nanoTime() - start));
		this.report = result;
		return result;
	}

	private void closeManaged(long deadline) {
		List<Managed<?>> toClose = new ArrayList<>();
		synchronized (this.managed) {
			this.resourcesClosed = true;
			while (!this.managed.isEmpty()) {
				toClose.add(this.managed.pop());
			}
		}
		for (Managed<?> entry : toClose) {
			entry.close(this.scheduler, Math.max(0, deadline - System.nanoTime()));
		}
	}

	/**
	 * Fails at once when the calling thread must not wait for the loop.
	 */
	void guardWait(String operation) {
		Thread current = Thread.currentThread();
		if (current == this.executor.thread()) {
			throw new LoopDeadlockException(operation + " was called on the loop thread '" + current.getName()
					+ "' and would wait for the loop itself, forever. On the loop, compose with the Mono "
					+ "(flatMap/then) or use submit(..) without waiting; call(..) runs inline there");
		}
		if (Schedulers.isInNonBlockingThread()) {
			throw new LoopDeadlockException(operation + " was called on the non-blocking thread '" + current.getName()
					+ "' and would block its event loop. Return a Mono or the CompletableFuture of submit(..) "
					+ "instead of waiting, or move the waiting code to an offload pool (@OffloadBlocking)");
		}
	}

	private void accept(LoopWork<?> work, String operation) {
		if (admit(work, operation, () -> execute(work, operation)) && !execute(work, operation)) {
			throw new ShuttingDownException(this.threadName, refused(operation, work.name));
		}
	}

	/**
	 * What a refusal names: the operation, and the task's name unless the work has none
	 * but the operation's.
	 */
	private static String refused(String operation, String name) {
		return name.equals(operation) ? operation : operation + " of " + name;
	}

	/** How long work handed to the loop now would wait, roughly. */
	long expectedWaitNanos() {
		return this.executor.expectedWaitNanos();
	}

	/**
	 * Runs {@code task} on the loop, untracked.
	 * @return false when the loop no longer takes tasks
	 */
	boolean executeOnLoop(Runnable task) {
		try {
			this.executor.execute(task);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

	/**
	 * Hands admitted work to the loop; work the loop refuses ends with the refusal,
	 * unless it ended already: a shutdown may cancel admitted work before it is handed
	 * over, and then that cancellation is its outcome, the one the shutdown reports.
	 * @return false when the refusal ended the work
	 */
	private boolean execute(LoopWork<?> work, String operation) {
		try {
			this.executor.execute(work);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return !work.cancel(new ShuttingDownException(this.threadName, refused(operation, work.name)));
		}
	}

	/**
	 * Admits work through the gate.
	 * @param dispatch what starts the work if it is held now and resumed later
	 * @return whether the caller dispatches it now (false when it is held)
	 * @throws ShuttingDownException when the runner is shut down
	 */
	private boolean admit(TrackedWork work, String operation, Runnable dispatch) {
		return switch (this.gate.admit(work, dispatch)) {
			case DISPATCH -> true;
			case HELD -> false;
			case REFUSED ->
				throw rejected(work, new ShuttingDownException(this.threadName, refused(operation, work.name)));
		};
	}

	/**
	 * Tells the task observer, if any, that {@code work} is about to be handed to the
	 * loop, on the caller's thread.
	 */
	private <W extends TrackedWork> W observed(W work) {
		LoopRunner.TaskObserver observer = this.taskObserver;
		if (observer != null) {
			work.observation = observer.submitted(work.name);
		}
		return work;
	}

	private ShuttingDownException rejected(TrackedWork work, ShuttingDownException ex) {
		LoopRunner.TaskObserver observer = this.taskObserver;
		if (observer != null) {
			observer.finished(work.observation, "rejected", 0, ex);
		}
		return ex;
	}

	/**
	 * Starts {@code work} on the loop with what the task observer opens for it (its
	 * observation's scope, say) in place until {@code start} returns.
	 */
	void start(TrackedWork work, Runnable start) {
		LoopRunner.TaskObserver observer = this.taskObserver;
		AutoCloseable scope = (observer != null) ? observer.started(work.observation) : null;
		if (scope == null) {
			start.run();
			return;
		}
		try {
			start.run();
		}
		finally {
			try {
				scope.close();
			}
			catch (Exception ex) {
				logger.warn("Closing what the loop task observer opened for {} failed", work.name, ex);
			}
		}
	}

	/** Called once per tracked work when it ends, on whichever thread ended it. */
	void finished(TrackedWork work, @Nullable Throwable failure, long started) {
		long ran = (started != 0) ? System.nanoTime() - started : 0;
		String outcome;
		if (failure == null) {
			this.completed.increment();
			this.completedNanos.add(ran);
			outcome = "success";
		}
		else if (failure instanceof CancellationException || failure instanceof LoopTimeoutException
				|| failure instanceof ShuttingDownException) {
			this.cancelled.increment();
			this.cancelledNanos.add(ran);
			outcome = "cancelled";
		}
		else {
			this.failed.increment();
			this.failedNanos.add(ran);
			outcome = "error";
		}
		this.gate.remove(work);
		LoopRunner.TaskObserver observer = this.taskObserver;
		if (observer != null) {
			observer.finished(work.observation, outcome, ran, failure);
		}
	}

	private void probeLag() {
		if (this.heartbeatSentAt != 0 || this.gate.phase() == LoopGate.Phase.PAUSED) {
			return;
		}
		this.heartbeatSentAt = System.nanoTime();
		try {
			this.executor.execute(() -> {
				this.lastLagNanos = System.nanoTime() - this.heartbeatSentAt;
				this.heartbeatSentAt = 0;
			});
		}
		catch (RejectedExecutionException ex) {
			this.heartbeatSentAt = 0;
		}
	}

	private void watchForStall() {
		releaseAbandonedStreams();
		long start = this.executor.taskStart();
		long task = this.executor.taskSequence();
		if (start == 0 || task == this.lastStalledTask) {
			return;
		}
		long runningFor = System.nanoTime() - start;
		if (runningFor < this.stallThresholdNanos) {
			return;
		}
		LoopWork<?> work = this.executor.runningWork();
		StackTraceElement[] stack = this.executor.thread().getStackTrace();
		if (this.executor.taskSequence() != task) {
			return;
		}
		this.lastStalledTask = task;
		LoopStallEvent event = new LoopStallEvent(this.threadName, (work != null) ? work.name : "unnamed loop task",
				Duration.ofNanos(runningFor), this.stallThreshold, List.of(stack), this.stalls.incrementAndGet());
		tell(this.stallLogger, event);
		ThreadPoolExecutor notifier = this.stallNotifier;
		if (notifier != null) {
			try {
				notifier.execute(() -> this.stallListeners.forEach((listener) -> tell(listener, event)));
			}
			catch (RejectedExecutionException ex) {
				// Shut down meanwhile: the listeners are not told any more.
			}
		}
	}

	private void tell(LoopStallEvent.Listener listener, LoopStallEvent event) {
		try {
			listener.onStall(event);
		}
		catch (RuntimeException | Error ex) {
			// An Error too: thrown out of the periodic watchdog task, it would end the
			// watchdog for good, and keep the listeners after this one from the event.
			logger.warn("Loop stall listener {} failed on {}; the other listeners still get the stall, and the "
					+ "watchdog keeps watching", listener, event.task(), ex);
		}
	}

	/**
	 * Stops the stall listeners' thread, interrupting a listener still running, and waits
	 * up to a second for it to end.
	 */
	private void stopStallNotifier() {
		ThreadPoolExecutor notifier = this.stallNotifier;
		if (notifier == null) {
			return;
		}
		notifier.shutdownNow();
		try {
			if (notifier.awaitTermination(1, TimeUnit.SECONDS)) {
				// It reports itself terminated just before its thread ends.
				Thread thread = this.stallNotifierThread;
				if (thread != null) {
					thread.join(1000);
				}
			}
			else {
				logger.warn(
						"A stall listener of loop {} did not return within 1 s of shutdown, even interrupted; "
								+ "its thread {}-stall-listeners goes on. Make the listeners quick",
						this.threadName, this.threadName);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A resource opened by {@link #manage} and the work that closes it.
	 */
	private record Managed<R>(String name, R resource, Function<? super R, ? extends Publisher<Void>> closer) {

		/**
		 * Calls the closer and subscribes to what it returns on the loop (the closer is
		 * loop code too), waiting up to {@code timeoutNanos}; a close still running then
		 * is left to finish on the loop while shutdown goes on.
		 */
		void close(Scheduler scheduler, long timeoutNanos) {
			try {
				Mono<Void> closing = Mono.defer(() -> Mono.from(this.closer.apply(this.resource)))
					.subscribeOn(scheduler);
				if (timeoutNanos <= 0) {
					logger.warn("Managed resource {} was not closed: the shutdown budget was spent before its turn; "
							+ "its close runs on the loop without being waited for. Raise bridge.shutdown.timeout",
							this.name);
					closing.subscribe(null, (ex) -> logger.warn("Closing managed resource {} failed", this.name, ex));
					return;
				}
				closing.block(Duration.ofNanos(timeoutNanos));
			}
			catch (IllegalStateException ex) {
				if (ex.getMessage() != null && ex.getMessage().startsWith("Timeout on blocking read")) {
					logger.warn(
							"Managed resource {} did not close within the shutdown budget ({} ms left); its close "
									+ "was cancelled. Raise bridge.shutdown.timeout or make the close faster",
							this.name, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
				}
				else {
					logger.warn("Closing managed resource {} failed", this.name, ex);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Closing managed resource {} failed", this.name, ex);
			}
		}

	}

}
