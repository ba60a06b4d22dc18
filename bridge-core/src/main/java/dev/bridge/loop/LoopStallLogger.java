/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stall log of every loop runner, ahead of its listeners: each stall as one warning
 * with the stalling task's name (the annotated method, for work from Bridge's aspects)
 * and the loop thread's stack, handed to the logging backend as a {@code Throwable} that
 * carries it, so that it prints and formats the stack as it does any other. A task that
 * stalls again and again is logged at most once per interval (10 s), with the number of
 * stalls left out in between. Logger {@code dev.bridge.loop.LoopStallLogger}: set it to
 * {@code ERROR} or {@code OFF} to silence the log (stalls are still counted and handed to
 * the listeners).
 * <p>
 * A stall caught while the loop thread loads, links or initialises classes (the first
 * call of a client on the loop does much of that) is warm-up, not blocking code: it is
 * logged once per task at INFO, in one line without the stack, and still counted. When
 * the same task stalls again outside class loading, it is warned about as usual.
 * Thread-safe.
 */
final class LoopStallLogger implements LoopStallEvent.Listener {

	private static final Logger logger = LoggerFactory.getLogger(LoopStallLogger.class);

	private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	private final Set<String> warmedUp = ConcurrentHashMap.newKeySet();

	LoopStallLogger() {
		this(DEFAULT_INTERVAL, System::nanoTime);
	}

	LoopStallLogger(Duration interval, LongSupplier nanoClock) {
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
	}

	@Override
	public void onStall(LoopStallEvent event) {
		String key = event.loopThread() + " " + event.task();
		if (loadingClasses(event.stack())) {
			if (this.warmedUp.add(key) && logger.isInfoEnabled()) {
				logger.info("Loop {}: {} ran for {} ms, past bridge.loop.stall-threshold {} ms, while loading or "
						+ "initialising classes (warm-up, counted as stall #{}); only a stall outside class loading "
						+ "is warned about", event.loopThread(), event.task(), event.runningFor().toMillis(),
						event.threshold().toMillis(), event.stallCount());
			}
			return;
		}
		long suppressed = this.windows.computeIfAbsent(key, (name) -> new Window())
			.admit(this.nanoClock.getAsLong(), this.intervalNanos);
		if (suppressed < 0 || !logger.isWarnEnabled()) {
			return;
		}
		StringBuilder message = new StringBuilder();
		message.append("Loop ")
			.append(event.loopThread())
			.append(" stalled: ")
			.append(event.task())
			.append(" has run for ")
			.append(event.runningFor().toMillis())
			.append(" ms (bridge.loop.stall-threshold ")
			.append(event.threshold().toMillis())
			.append(" ms, stall #")
			.append(event.stallCount());
		if (suppressed > 0) {
			message.append(", ").append(suppressed).append(" more stalls of this task not logged");
		}
		message.append("). Everything else on the loop waits meanwhile: move blocking code to an offload pool ")
			.append("(@OffloadBlocking)");
		Throwable stack = new Throwable("Stack of " + event.loopThread() + " at the stall");
		stack.setStackTrace(event.stack().toArray(new StackTraceElement[0]));
		logger.warn(message.toString(), stack);
	}

	/**
	 * Whether the stack shows the thread loading, linking or initialising a class.
	 */
	static boolean loadingClasses(List<StackTraceElement> stack) {
		for (StackTraceElement frame : stack) {
			String type = frame.getClassName();
			String method = frame.getMethodName();
			if ("<clinit>".equals(method) || type.startsWith("jdk.internal.loader.")
					|| ("java.lang.ClassLoader".equals(type)
							&& (method.startsWith("loadClass") || method.startsWith("defineClass")))
					|| ("java.lang.Class".equals(type) && method.startsWith("forName"))
					|| "java.lang.invoke.MethodHandleNatives".equals(type)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The rate limit of one task: at most one line per interval, counting those left out.
	 */
	private static final class Window {

		private boolean logged;

		private long lastLogged;

		private long suppressed;

		/**
		 * Returns how many lines were left out since the last one, or -1 to leave this
		 * one out.
		 */
		synchronized long admit(long now, long intervalNanos) {
			if (this.logged && now - this.lastLogged < intervalNanos) {
				this.suppressed++;
				return -1;
			}
			this.logged = true;
			this.lastLogged = now;
			long skipped = this.suppressed;
			this.suppressed = 0;
			return skipped;
		}

	}

}
