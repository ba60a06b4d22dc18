/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds offloaded calls running past their pool's stall threshold from one periodic tick
 * on one daemon thread, as the loop's watchdog does: a call costs nothing more than the
 * start time and thread it records anyway. Each stalled call is reported once, while it
 * still runs, with its thread's stack. Started only when a pool has a threshold; stopped
 * at shutdown.
 */
final class OffloadWatchdog {

	private static final Logger logger = LoggerFactory.getLogger(OffloadWatchdog.class);

	static final String THREAD_NAME = "bridge-offload-watchdog";

	private final Collection<OffloadPool> pools;

	private final List<OffloadStallEvent.Listener> listeners;

	private final @Nullable ScheduledThreadPoolExecutor timer;

	/** The timer's thread, joined at shutdown. */
	private volatile @Nullable Thread thread;

	OffloadWatchdog(Collection<OffloadPool> pools, List<OffloadStallEvent.Listener> listeners) {
		this.pools = pools;
		// The stall log always, ahead of any listeners.
		List<OffloadStallEvent.Listener> all = new ArrayList<>(listeners.size() + 1);
		all.add(new OffloadStallLogger());
		all.addAll(listeners);
		this.listeners = List.copyOf(all);
		long smallest = pools.stream()
			.mapToLong((pool) -> pool.stallThresholdNanos)
			.filter((nanos) -> nanos > 0)
			.min()
			.orElse(0);
		if (smallest == 0) {
			this.timer = null;
			return;
		}
		// A quarter of the threshold, so a stall is seen at most 25% late, within
		// [10 ms, 1 s].
		long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(smallest / 4, TimeUnit.SECONDS.toNanos(1)));
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, THREAD_NAME);
			thread.setDaemon(true);
			this.thread = thread;
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		executor.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.NANOSECONDS);
		this.timer = executor;
	}

	/** Reports each running call past its pool's threshold that was not reported yet. */
	void tick() {
		try {
			for (OffloadPool pool : this.pools) {
				if (pool.stallThresholdNanos > 0) {
					pool.forEachRunning((task) -> check(pool, task));
				}
			}
		}
		catch (RuntimeException | Error ex) {
			// Never let one failure end the periodic tick.
			logger.warn("Offload watchdog tick failed; it keeps watching", ex);
		}
	}

	private void check(OffloadPool pool, OffloadTask<?> task) {
		long started = task.started;
		Thread thread = task.thread;
		if (started == 0 || thread == null || task.stallReported || task.isDone()) {
			return;
		}
		long runningFor = System.nanoTime() - started;
		if (runningFor < pool.stallThresholdNanos) {
			return;
		}
		StackTraceElement[] stack = thread.getStackTrace();
		if (task.isDone() || task.thread != thread) {
			return;
		}
		task.stallReported = true;
		OffloadStallEvent event = new OffloadStallEvent(pool.name, task.name, thread.getName(),
				Duration.ofNanos(runningFor), pool.stallThreshold, List.of(stack), pool.countStall());
		for (OffloadStallEvent.Listener listener : this.listeners) {
			try {
				listener.onStall(event);
			}
			catch (RuntimeException | Error ex) {
				// An Error too: caught by the tick, it would keep the listeners
				// after this one from the event.
				logger.warn("Offload stall listener {} failed on {}; the other listeners still get the stall", listener,
						event.task(), ex);
			}
		}
	}

	/** Tells the listeners about a pinning the JDK reported. */
	void pinned(OffloadStallEvent.Pinned event) {
		for (OffloadStallEvent.Listener listener : this.listeners) {
			try {
				listener.onPinned(event);
			}
			catch (RuntimeException | Error ex) {
				logger.warn("Offload stall listener {} failed on a pinning of {}; the other listeners still get it",
						listener, event.task(), ex);
			}
		}
	}

	void stop() {
		ScheduledThreadPoolExecutor executor = this.timer;
		if (executor != null) {
			executor.shutdownNow();
			try {
				executor.awaitTermination(1, TimeUnit.SECONDS);
				// The executor reports itself terminated just before its thread ends:
				// join the thread, so that none outlives the shutdown.
				Thread ticking = this.thread;
				if (ticking != null) {
					ticking.join(TimeUnit.SECONDS.toMillis(1));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
