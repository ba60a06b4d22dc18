/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * The deterministic mode's executor: offloaded calls do not start on their own but wait,
 * in the order they were submitted, until the test runs them on its own thread with
 * {@link #runPending()} or {@link #runNext()}. So calls run one at a time, in a fixed
 * order, at the moment the test chooses, and a test sees their effects as soon as the
 * step returns.
 * <p>
 * In a Spring Boot test, {@code @AutoConfigureBridgeTest(deterministic = true)} gives
 * every offload pool of the application this executor (a {@code SteppedExecutor} bean)
 * and lifts the pools' concurrency limits, so every call waits here as its own step and
 * the steps run in the order the calls were submitted, across pools (a call submitted by
 * a running step comes after the steps already waiting). Rejections by a full pool cannot
 * be tested in this mode. Without Spring, pass it to {@code PoolSpec.executor(..)} with a
 * large {@code maxConcurrency}. The loop is not affected: loop work still runs on the
 * loop thread. A body that waits for another offloaded call would wait forever (nothing
 * runs while it runs), and so does a test that blocks on an offloaded {@code Mono} before
 * stepping: subscribe, step, then check the result (for example
 * {@code StepVerifier.create(mono).then(executor::runPending)}). Thread-safe; steps run
 * on the thread that calls them.
 *
 * @since 0.1.0
 */
public final class SteppedExecutor implements Executor {

	private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();

	@Override
	public void execute(Runnable command) {
		this.pending.add(command);
	}

	/**
	 * Runs the oldest waiting call on the calling thread.
	 * @return whether there was one
	 */
	public boolean runNext() {
		Runnable next = this.pending.poll();
		if (next == null) {
			return false;
		}
		next.run();
		return true;
	}

	/**
	 * Runs waiting calls on the calling thread, oldest first, until none is left (calls
	 * they submit included).
	 * @return how many ran
	 */
	public int runPending() {
		int ran = 0;
		while (runNext()) {
			ran++;
		}
		return ran;
	}

	/**
	 * How many calls are waiting to be run.
	 * @return the count
	 */
	public int pending() {
		return this.pending.size();
	}

}
