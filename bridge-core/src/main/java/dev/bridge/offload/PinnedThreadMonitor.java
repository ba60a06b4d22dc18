/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
 * that uses them; closed at shutdown. The JDK records the event when a pinned virtual
 * thread blocks longer than {@link #THRESHOLD}, and the stream hands it over about once a
 * second.
 */
final class PinnedThreadMonitor {

	private static final Logger logger = LoggerFactory.getLogger(PinnedThreadMonitor.class);

	static final String EVENT = "jdk.VirtualThreadPinned";

	/** The JDK's own default threshold for the event. */
	static final Duration THRESHOLD = Duration.ofMillis(20);

	private final Collection<OffloadPool> pools;

	private final OffloadWatchdog watchdog;

	private final RecordingStream stream;

	private PinnedThreadMonitor(Collection<OffloadPool> pools, OffloadWatchdog watchdog) {
		this.pools = pools;
		this.watchdog = watchdog;
		this.stream = new RecordingStream();
		this.stream.enable(EVENT).withThreshold(THRESHOLD).withStackTrace();
		this.stream.onEvent(EVENT, this::onPinned);
		this.stream.startAsync();
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
		try {
			return new PinnedThreadMonitor(pools, watchdog);
		}
		catch (RuntimeException | LinkageError ex) {
			logger.info("Pinned virtual threads of the offload pools are not reported: JFR event streaming is not "
					+ "available in this JVM ({})", ex.toString());
			return null;
		}
	}

	private void onPinned(RecordedEvent event) {
		RecordedThread recorded = event.getThread();
		if (recorded == null) {
			return;
		}
		long threadId = recorded.getJavaThreadId();
		String threadName = (recorded.getJavaName() != null) ? recorded.getJavaName() : "";
		OffloadPool pool = null;
		String task = "unknown";
		for (OffloadPool candidate : this.pools) {
			OffloadTask<?> running = candidate.runningOn(threadId);
			if (running != null) {
				pool = candidate;
				task = running.name;
				break;
			}
		}
		if (pool == null) {
			pool = byThreadName(threadName);
		}
		if (pool == null) {
			return;
		}
		this.watchdog.pinned(new OffloadPinnedEvent(pool.name, task, threadName, event.getDuration(),
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

	void close() {
		this.stream.close();
	}

}
