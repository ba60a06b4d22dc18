/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStats;
import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Watches the Bridge work of one application (or one hand-built {@link Offloader} and
 * {@link LoopRunner}) in a test: which calls are in flight, so a test can
 * {@linkplain #awaitQuiescence() wait until all of them have finished}, fire-and-forget
 * {@code void @OffloadBlocking} methods included; and where each call ran, for
 * {@link BridgeAssertions#assertThatBridge() routing assertions}.
 * <p>
 * The recorder sees the work submitted through the offloaders and loop runners it
 * {@linkplain #record(Offloader) records}: in a Spring Boot test,
 * {@link AutoConfigureBridgeTest @AutoConfigureBridgeTest} records the application's
 * {@code Offloader} and {@code LoopRunner} beans, which the aspects and
 * {@code bridgeTaskExecutor} use. Recording costs a few object allocations per call and
 * is off unless a test turns it on. At most 10,000 calls are kept between two
 * {@link #clear()}s; later ones are counted but not kept. Thread-safe.
 *
 * <pre class="code">
 * BridgeRecorder recorder = BridgeRecorder.create();
 * Offloader offloader = recorder.record(Offloader.create());
 * offloader.future(() -&gt; audit.write(event));     // fire and forget
 * recorder.awaitQuiescence();                       // returns once the write has finished
 * </pre>
 *
 * @since 0.1.0
 */
public final class BridgeRecorder {

	/** How long {@link #awaitQuiescence()} waits. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	static final int CAPACITY = 10_000;

	private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final Set<Tracked> inFlight = ConcurrentHashMap.newKeySet();

	private final Queue<BridgeCall> calls = new ConcurrentLinkedQueue<>();

	private final AtomicInteger seen = new AtomicInteger();

	/** Moves on at each {@link #clear()}: calls submitted before it are not recorded. */
	private final AtomicLong generation = new AtomicLong();

	private final List<Offloader> offloaders = new CopyOnWriteArrayList<>();

	private final List<LoopRunner> loops = new CopyOnWriteArrayList<>();

	private final Object quiet = new Object();

	private BridgeRecorder() {
	}

	/**
	 * A recorder that records nothing yet.
	 * @return a new recorder
	 */
	public static BridgeRecorder create() {
		return new BridgeRecorder();
	}

	/**
	 * Records the work submitted through {@code offloader} and the views it hands out
	 * ({@code pool(..)}, {@code timeout(..)}).
	 * @param offloader the offloader to watch
	 * @return an offloader to use instead of {@code offloader}: the same API, pools and
	 * lifecycle, with every call recorded
	 */
	public Offloader record(Offloader offloader) {
		Objects.requireNonNull(offloader, "offloader");
		if (offloader instanceof RecordingOffloader recording && recording.recorder() == this) {
			return offloader;
		}
		this.offloaders.add(offloader);
		return new RecordingOffloader(offloader, this);
	}

	/**
	 * Records the work submitted through {@code loop}.
	 * @param loop the loop runner to watch
	 * @return a loop runner to use instead of {@code loop}: the same API, loop and
	 * lifecycle, with every call recorded
	 */
	public LoopRunner record(LoopRunner loop) {
		Objects.requireNonNull(loop, "loop");
		if (loop instanceof RecordingLoopRunner recording && recording.recorder() == this) {
			return loop;
		}
		this.loops.add(loop);
		return new RecordingLoopRunner(loop, this);
	}

	/**
	 * The calls submitted since the last {@link #clear()} whose bodies have started, in
	 * the order their bodies started. A call submitted before it (say, by the previous
	 * test, which left it queued) is not recorded even if its body starts later.
	 * @return a snapshot of the calls
	 */
	public List<BridgeCall> calls() {
		return List.copyOf(this.calls);
	}

	/**
	 * How many of the calls submitted since the last {@link #clear()} have started, those
	 * beyond the 10,000 kept included.
	 * @return the count
	 */
	public int callCount() {
		return this.seen.get();
	}

	/**
	 * Forgets the recorded calls, and stops recording the calls submitted so far, also
	 * those that have not started yet. Calls in flight are still awaited.
	 */
	public void clear() {
		this.generation.incrementAndGet();
		this.calls.clear();
		this.seen.set(0);
	}

	/**
	 * Whether no recorded work is in flight now: no call submitted and not yet finished,
	 * no loop task pending or running for a caller, no pool call active or queued. Work
	 * held by a paused runner or pool does not count: it cannot start until its context
	 * starts again.
	 * @return {@code true} when quiet
	 */
	public boolean isQuiescent() {
		return this.inFlight.isEmpty() && untracked().isEmpty();
	}

	/**
	 * Waits up to {@link #DEFAULT_TIMEOUT} for {@linkplain #isQuiescent() quiescence}.
	 * @throws QuiescenceTimeoutError naming every call still in flight, when the time
	 * runs out
	 */
	public void awaitQuiescence() {
		awaitQuiescence(DEFAULT_TIMEOUT);
	}

	/**
	 * Waits until no recorded work is in flight: every call submitted through a recorded
	 * offloader or loop runner (and whatever those calls submitted in turn) has finished
	 * and its caller has its outcome.
	 * @param timeout how long to wait at most
	 * @throws QuiescenceTimeoutError naming every call still in flight (method, pool or
	 * loop, age, thread and stack), when the time runs out or the waiting thread is
	 * interrupted
	 */
	public void awaitQuiescence(Duration timeout) {
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		while (!isQuiescent()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				throw new QuiescenceTimeoutError(
						report("Bridge work was still in flight after " + timeout.toMillis() + " ms of awaitQuiescence",
								timeout));
			}
			synchronized (this.quiet) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.quiet, Math.min(remaining, RECHECK_NANOS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new QuiescenceTimeoutError(
							report("Interrupted after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
									+ " ms of awaitQuiescence while Bridge work was in flight", timeout));
				}
			}
		}
	}

	/**
	 * What is in flight now, oldest first, one line per call: method, pool or loop, age
	 * and thread.
	 * @return the descriptions; empty when quiescent
	 */
	public List<String> inFlight() {
		long now = System.nanoTime();
		List<String> lines = new ArrayList<>();
		this.inFlight.stream()
			.sorted(Comparator.comparingLong((Tracked tracked) -> tracked.created))
			.forEach((tracked) -> lines.add(tracked.describe(now)));
		// The pools' and loops' own counts name no method: only when nothing else does.
		return lines.isEmpty() ? untracked() : lines;
	}

	private String report(String headline, Duration timeout) {
		List<String> lines = inFlight();
		StringBuilder message = new StringBuilder(headline).append(" (").append(lines.size()).append(" left):");
		lines.stream().limit(20).forEach((line) -> message.append("\n  - ").append(line));
		if (lines.size() > 20) {
			message.append("\n  - ... and ").append(lines.size() - 20).append(" more");
		}
		message.append("\nA call that never ends usually waits for something the test has not released (a latch, ")
			.append("a gate, a mock's answer): release it or cancel the call. If the work is just slow, wait longer ")
			.append("than ")
			.append(timeout.toMillis())
			.append(" ms: awaitQuiescence(Duration) or @AutoConfigureBridgeTest(quiescenceTimeout = ..).");
		return message.toString();
	}

	/**
	 * Work the runners and pools report that no tracked call accounts for: raw scheduler
	 * tasks, or the moment between a call's outcome and its pool slot's release.
	 */
	private List<String> untracked() {
		List<String> lines = new ArrayList<>();
		for (LoopRunner loop : this.loops) {
			LoopStats stats = loop.stats();
			if (stats.state() != LoopStats.State.RUNNING && stats.state() != LoopStats.State.PAUSED) {
				continue;
			}
			long working = stats.inFlight() - stats.held();
			if (working > 0 || stats.pending() > 0) {
				lines.add("loop " + stats.name() + ": " + working + " calls in flight, " + stats.pending()
						+ " tasks pending, current task running for " + stats.currentTaskAge().toMillis() + " ms");
			}
		}
		for (Offloader offloader : this.offloaders) {
			for (String name : offloader.poolNames()) {
				OffloadStats stats = offloader.pool(name).stats();
				if (stats.active() > 0 || stats.queued() > 0) {
					lines.add("offload pool '" + name + "': " + stats.active() + " calls active, " + stats.queued()
							+ " queued");
				}
			}
		}
		return lines;
	}

	Tracked begin(String method, @Nullable String pool, @Nullable String loop) {
		Tracked tracked = new Tracked(this, method, pool, loop, this.generation.get());
		this.inFlight.add(tracked);
		return tracked;
	}

	void track(Tracked tracked) {
		this.inFlight.add(tracked);
	}

	void untrackIfDone(Tracked tracked) {
		if (tracked.done() && this.inFlight.remove(tracked) && this.inFlight.isEmpty()) {
			synchronized (this.quiet) {
				this.quiet.notifyAll();
			}
		}
	}

	/**
	 * The body of a tracked call: marks it running and records where it runs.
	 */
	<T> Callable<T> body(Tracked tracked, Callable<T> body) {
		return () -> {
			started(tracked);
			try {
				return body.call();
			}
			finally {
				tracked.ended();
			}
		};
	}

	/**
	 * Records the call whose body starts on the current thread, unless it was submitted
	 * before the last {@link #clear()}.
	 */
	void started(Tracked tracked) {
		tracked.started();
		if (tracked.generation != this.generation.get() || this.seen.incrementAndGet() > CAPACITY) {
			return;
		}
		Thread thread = Thread.currentThread();
		this.calls.add(new BridgeCall(tracked.method, tracked.pool, tracked.loop, thread.getName(),
				Threads.kind(thread), tracked.callerThread, context(), mdc()));
	}

	private static Map<String, Object> context() {
		Map<String, Object> values = new LinkedHashMap<>();
		for (ThreadLocalAccessor<?> accessor : ContextRegistry.getInstance().getThreadLocalAccessors()) {
			Object value = accessor.getValue();
			if (value != null) {
				values.put(String.valueOf(accessor.key()), value);
			}
		}
		return values;
	}

	private static Map<String, String> mdc() {
		Map<String, String> mdc = MDC.getCopyOfContextMap();
		return (mdc != null) ? mdc : Map.of();
	}

}
