/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One call a {@link BridgeRecorder} tracks, from its submission until it is both settled
 * (its caller got its outcome, or gave up on it) and no longer running (a cancelled body
 * may run on until it notices).
 */
final class Tracked {

	final String method;

	final @Nullable String pool;

	final @Nullable String loop;

	final String callerThread;

	final long created = System.nanoTime();

	/** The recorder's generation when the call was submitted. */
	final long generation;

	private final BridgeRecorder recorder;

	private volatile @Nullable Thread runner;

	private volatile long startedAt;

	private volatile boolean running;

	private volatile boolean settled;

	Tracked(BridgeRecorder recorder, String method, @Nullable String pool, @Nullable String loop, long generation) {
		this.recorder = recorder;
		this.generation = generation;
		this.method = method;
		this.pool = pool;
		this.loop = loop;
		this.callerThread = Thread.currentThread().getName();
	}

	/** The body starts on the current thread. */
	void started() {
		this.runner = Thread.currentThread();
		this.startedAt = System.nanoTime();
		this.running = true;
		// A body that starts as its caller gives up on it is tracked again while it runs.
		this.recorder.track(this);
	}

	/** The body returned or threw. */
	void ended() {
		this.running = false;
		this.runner = null;
		this.recorder.untrackIfDone(this);
	}

	/** The caller has the outcome, or cancelled the call. */
	void settle() {
		this.settled = true;
		this.recorder.untrackIfDone(this);
	}

	boolean done() {
		return this.settled && !this.running;
	}

	String where() {
		return (this.pool != null) ? "offload pool '" + this.pool + "'" : "loop " + this.loop;
	}

	String describe(long now) {
		Thread thread = this.runner;
		if (this.running && thread != null) {
			return this.method + " on " + where() + ": running for "
					+ TimeUnit.NANOSECONDS.toMillis(now - this.startedAt) + " ms on thread " + thread.getName()
					+ ", submitted by " + this.callerThread + Threads.top(thread, 6);
		}
		if (this.startedAt != 0) {
			return this.method + " on " + where() + ": its body returned, its caller has not had the outcome yet ("
					+ TimeUnit.NANOSECONDS.toMillis(now - this.created) + " ms since it was submitted by "
					+ this.callerThread + ")";
		}
		return this.method + " on " + where() + ": waiting to start for "
				+ TimeUnit.NANOSECONDS.toMillis(now - this.created) + " ms (queued, or held while the context is "
				+ "stopped), submitted by " + this.callerThread;
	}

}
