/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.offload;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the daemon platform threads of an executor, named {@code <prefix><n>}, which do
 * not inherit the creating thread's {@code InheritableThreadLocal}s, and remembers the
 * live ones so that a shutdown can {@link #join(Duration) wait} until they have really
 * ended: an executor reports itself terminated a moment before its last thread has. The
 * platform-thread offload pools use it, so that no Bridge thread is left when the
 * offloader's shutdown returns. Thread-safe.
 */
final class JoinableThreadFactory implements ThreadFactory {

	private final String prefix;

	private final AtomicInteger count = new AtomicInteger();

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	/**
	 * Creates a factory.
	 * @param prefix the start of each thread's name, followed by its number from 1
	 */
	JoinableThreadFactory(String prefix) {
		this.prefix = prefix;
	}

	@Override
	public Thread newThread(Runnable task) {
		// Forget ended threads only: one made but not started yet
		// is not alive either.
		this.threads.removeIf((thread) -> thread.getState() == Thread.State.TERMINATED);
		// No InheritableThreadLocal of whichever caller happened to need a new thread:
		// that would carry its user or tenant into every later call on the thread.
		Thread thread = new Thread(null, task, this.prefix + this.count.incrementAndGet(), 0, false);
		thread.setDaemon(true);
		this.threads.add(thread);
		return thread;
	}

	/**
	 * Waits until every thread this factory made has ended, or the timeout has passed.
	 * Call it after the executor has been shut down.
	 * @param timeout how long to wait in total
	 * @return whether every thread has ended
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	boolean join(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread thread : this.threads) {
			long waitMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			if (waitMillis <= 0) {
				break;
			}
			thread.join(waitMillis);
		}
		return this.threads.stream().noneMatch(Thread::isAlive);
	}

}
