/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;

/**
 * Helpers for the JDK-dependent baselines: the JDK's own virtual-thread-per-task
 * executor, found at run time so this module compiles for Java 17, and the shutdown of an
 * {@link Offloader}.
 */
final class JdkThreads {

	private JdkThreads() {
	}

	/**
	 * {@code Executors.newVirtualThreadPerTaskExecutor()}.
	 * @throws IllegalStateException on a JVM without virtual threads
	 */
	static ExecutorService newVirtualThreadPerTaskExecutor() {
		if (!ThreadMode.virtualThreadsAvailable()) {
			throw new IllegalStateException(
					"virtual threads need Java 21+, this is " + System.getProperty("java.version"));
		}
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("could not create a virtual-thread executor", ex);
		}
	}

	/**
	 * An offloader whose default pool admits {@code concurrency} calls at once on the
	 * given kind of thread, with a queue as large.
	 */
	static Offloader offloader(ThreadMode threads, int concurrency) {
		return Offloader.builder()
			.defaultPool((pool) -> pool.threads(threads).maxConcurrency(concurrency).queueCapacity(concurrency))
			.build();
	}

	static void shutdown(Offloader offloader) {
		offloader.finishShutdown(Duration.ofSeconds(5));
	}

}
