/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where one call that Bridge routed ran, as a {@link BridgeRecorder} saw it when its body
 * started. Immutable.
 *
 * @param method the task name: {@code SimpleClassName.method} for annotated methods, the
 * name given to {@code named(String)} of the loop runner or offloader for direct calls,
 * or the operation (such as {@code future(Callable)}) for unnamed ones
 * @param pool the offload pool the body ran on, or {@code null} when it ran on the loop
 * @param loop the loop thread the body ran on, or {@code null} when it ran on a pool
 * @param thread the name of the thread that ran the body
 * @param threadKind what kind of thread that was
 * @param callerThread the name of the thread that submitted the call
 * @param context the values of the thread-locals registered in Micrometer's
 * {@code ContextRegistry} (security context, observation, MDC under {@code cp.slf4j},
 * ...) as the body saw them, by accessor key; absent keys had no value
 * @param mdc the SLF4J MDC as the body saw it
 * @since 0.1.0
 */
public record BridgeCall(String method, @Nullable String pool, @Nullable String loop, String thread,
		ThreadKind threadKind, String callerThread, Map<String, Object> context, Map<String, String> mdc) {

	/**
	 * Copies the maps.
	 */
	public BridgeCall {
		context = Map.copyOf(context);
		mdc = Map.copyOf(mdc);
	}

	/**
	 * Whether the body ran on a loop thread.
	 * @return {@code true} for loop work
	 */
	public boolean ranOnLoop() {
		return this.loop != null;
	}

	/**
	 * A short description for assertion messages.
	 * @return for example {@code "OrderRepository.findById on pool 'jdbc' (VIRTUAL thread
	 * bridge-offload-jdbc-1)"}
	 */
	public String describe() {
		String where = (this.pool != null) ? "pool '" + this.pool + "'" : "loop " + this.loop;
		return this.method + " on " + where + " (" + this.threadKind + " thread " + this.thread + ", called from "
				+ this.callerThread + ")";
	}

	/**
	 * The kind of thread a body ran on.
	 */
	public enum ThreadKind {

		/** A Bridge loop thread. */
		LOOP,

		/** A virtual thread (JDK 21+). */
		VIRTUAL,

		/** A platform thread that is not a loop thread. */
		PLATFORM

	}

}
