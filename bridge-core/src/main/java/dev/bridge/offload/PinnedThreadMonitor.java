/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the JDK's {@code jdk.VirtualThreadPinned} event (Java 21 and later) and reports
 * those of the pools' own threads: found among the running calls by thread id (which also
 * names the call), else by the pool's thread-name prefix
 * ({@code bridge-offload-<pool>-}). Started only on a JVM with virtual threads and a pool
 * that uses them; closed at shutdown. All offloaders of a JVM share one stream. The JDK
 * records the event when a pinned virtual thread blocks longer than {@link #THRESHOLD},
 * and the stream hands it over about once a second.
 */
final class PinnedThreadMonitor {

	private static final Logger logger = LoggerFactory.getLogger(PinnedThreadMonitor.class);

	static final String EVENT = "jdk.VirtualThreadPinned";

	/** The JDK's own default threshold for the event. */
	static final Duration THRESHOLD = Duration.ofMillis(20);

	/** Guards {@link #stream}. */
	private static final Object LOCK = new Object();

	/**
	 * The JVM's one stream, shared by the monitors of all offloaders: started with the
	 * first, closed with the last.
	 */
	private static @Nullable RecordingStream stream;

	private static final List<PinnedThreadMonitor> MONITORS = new CopyOnWriteArrayList<>();

	private final Collection<OffloadPool> pools;

	private final OffloadWatchdog watchdog;

	private PinnedThreadMonitor(Collection<OffloadPool> pools, OffloadWatchdog watchdog) {
		this.pools = pools;
		this.watchdog = watchdog;
	}

	/**
	 * Starts a monitor when this JVM can pin virtual threads and a pool runs on them.
	 * @return the monitor, or {@code null} when there is nothing to watch or JFR is not
	 * available
	 */
	static @Nullable PinnedThreadMonitor startIfUseful(Collection<OffloadPool> pools, OffloadWatchdog watchdog) {
		if (!VirtualThreads.AVAILABLE || pools.stream().noneMatch((pool) -> pool.virtualThreads)) {
			return null;
		}
		PinnedThreadMonitor monitor = new PinnedThreadMonitor(pools, watchdog);
		synchronized (LOCK) {
			if (stream == null) {
				try {
					RecordingStream started = new RecordingStream();
					started.enable(EVENT).withThreshold(THRESHOLD).withStackTrace();
					started.onEvent(EVENT, PinnedThreadMonitor::dispatch);
					// Not startAsync(): its thread is not a daemon, and an offloader
					// left open must not keep the JVM from exiting.
					Thread reader = new Thread(() -> read(started), "bridge-offload-pinning-monitor");
					reader.setDaemon(true);
					reader.start();
					stream = started;
				}
				catch (RuntimeException | LinkageError ex) {
					logger.info("Pinned virtual threads of the offload pools are not reported: JFR event streaming "
							+ "is not available in this JVM ({})", ex.toString());
					return null;
				}
			}
			MONITORS.add(monitor);
		}
		return monitor;
	}

	/** Reads the stream until it is closed. */
	private static void read(RecordingStream started) {
		try {
			started.start();
		}
		catch (IllegalStateException ex) {
			// Closed before it could start: the last offloader shut down already.
		}
	}

	/**
	 * Hands an event to the monitor whose pools ran the thread: found by a running call
	 * first, else by thread name.
	 */
	private static void dispatch(RecordedEvent event) {
		RecordedThread recorded = event.getThread();
		if (recorded == null) {
			return;
		}
		long threadId = recorded.getJavaThreadId();
		String threadName = (recorded.getJavaName() != null) ? recorded.getJavaName() : "";
		for (PinnedThreadMonitor monitor : MONITORS) {
			for (OffloadPool pool : monitor.pools) {
				OffloadTask<?> running = pool.runningOn(threadId);
				if (running != null) {
					monitor.report(pool, running.name, threadName, event);
					return;
				}
			}
		}
		for (PinnedThreadMonitor monitor : MONITORS) {
			OffloadPool pool = monitor.byThreadName(threadName);
			if (pool != null) {
				monitor.report(pool, "unknown", threadName, event);
				return;
			}
		}
	}

	private void report(OffloadPool pool, String task, String threadName, RecordedEvent event) {
		this.watchdog.pinned(new OffloadStallEvent.Pinned(pool.name, task, threadName, event.getDuration(),
				stack(event.getStackTrace()), pool.countPinned()));
	}

	/** The pool whose thread-name prefix, followed by a number, is the thread's name. */
	private @Nullable OffloadPool byThreadName(String threadName) {
		OffloadPool found = null;
		for (OffloadPool pool : this.pools) {
			String prefix = "bridge-offload-" + pool.name + "-";
			if (threadName.startsWith(prefix) && isNumber(threadName.substring(prefix.length()))
					&& (found == null || pool.name.length() > found.name.length())) {
				found = pool;
			}
		}
		return found;
	}

	private static boolean isNumber(String text) {
		return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
	}

	private static List<StackTraceElement> stack(@Nullable RecordedStackTrace trace) {
		List<StackTraceElement> stack = new ArrayList<>();
		if (trace == null) {
			return stack;
		}
		for (RecordedFrame frame : trace.getFrames()) {
			if (frame.getMethod() == null) {
				continue;
			}
			String type = (frame.getMethod().getType() != null) ? frame.getMethod().getType().getName() : "?";
			stack.add(new StackTraceElement(type, frame.getMethod().getName(), null, frame.getLineNumber()));
		}
		return stack;
	}

	/** Stops watching this offloader's pools; the last monitor closes the stream. */
	void close() {
		RecordingStream closing = null;
		synchronized (LOCK) {
			MONITORS.remove(this);
			if (MONITORS.isEmpty()) {
				closing = stream;
				stream = null;
			}
		}
		if (closing != null) {
			closing.close();
		}
	}

}
