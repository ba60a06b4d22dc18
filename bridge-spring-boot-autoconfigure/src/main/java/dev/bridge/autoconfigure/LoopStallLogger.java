/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.bridge.loop.LoopStallEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs each loop stall as one warning with the stalling task's name (the annotated
 * method, for work from Bridge's aspects) and the loop thread's stack, handed to the
 * logging system as a {@code Throwable} that carries it, so that it prints and formats
 * the stack as it does any other. A task that stalls again and again is logged at most
 * once per interval, with the number of stalls left out in between.
 * <p>
 * A stall caught while the loop thread loads, links or initialises classes (the first
 * call of a client on the loop does much of that) is warm-up, not blocking code: it is
 * logged once per task at INFO, in one line without the stack, and still counted. When
 * the same task stalls again outside class loading, it is warned about as usual.
 * Thread-safe.
 */
final class LoopStallLogger implements LoopStallEvent.Listener {

	private static final Log logger = LogFactory.getLog(LoopStallLogger.class);

	private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

	private final LogRateLimit rateLimit;

	private final Set<String> warmedUp = ConcurrentHashMap.newKeySet();

	LoopStallLogger() {
		this(DEFAULT_INTERVAL, System::nanoTime);
	}

	LoopStallLogger(Duration interval, LongSupplier nanoClock) {
		this.rateLimit = new LogRateLimit(interval, nanoClock);
	}

	@Override
	public void onStall(LoopStallEvent event) {
		String key = event.loopThread() + " " + event.task();
		if (loadingClasses(event.stack())) {
			if (this.warmedUp.add(key) && logger.isInfoEnabled()) {
				logger.info(
						"Loop " + event.loopThread() + ": " + event.task() + " ran for " + event.runningFor().toMillis()
								+ " ms, past bridge.loop.stall-threshold " + event.threshold().toMillis()
								+ " ms, while loading or initialising classes (warm-up, " + "counted as stall #"
								+ event.stallCount() + "); only a stall outside class loading is " + "warned about");
			}
			return;
		}
		long suppressed = this.rateLimit.admit(key);
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
		logger.warn(message, stack);
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

}
