/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.util.concurrent.ThreadFactory;

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

	/**
	 * A factory of virtual threads named {@code <prefix><n>} that, like every thread
	 * Bridge creates, do not inherit the creating thread's
	 * {@code InheritableThreadLocal}s, for an executor given to a virtual pool.
	 * @param prefix the start of each thread's name, followed by its number from 0
	 * @return the factory
	 * @throws IllegalStateException on a JVM without virtual threads (before Java 21)
	 */
	public static ThreadFactory virtualThreadFactory(String prefix) {
		return VirtualThreads.newThreadFactory(prefix);
	}

}
