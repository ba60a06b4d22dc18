/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

/**
 * Which kind of thread a pool runs blocking calls on.
 *
 * @since 0.1.0
 */
public enum ThreadMode {

	/**
	 * Virtual threads when the running JVM has them (Java 21+), platform threads
	 * otherwise.
	 */
	AUTO,

	/**
	 * Virtual threads; building the pool fails on a JVM without them.
	 */
	VIRTUAL,

	/**
	 * Platform threads, at most the pool's concurrency limit of them.
	 */
	PLATFORM;

	/**
	 * Whether the running JVM supports virtual threads.
	 * @return {@code true} on Java 21 and later
	 */
	public static boolean virtualThreadsAvailable() {
		return VirtualThreads.AVAILABLE;
	}

}
