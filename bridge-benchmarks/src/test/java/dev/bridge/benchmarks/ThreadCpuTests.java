/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that {@link ThreadCpu} puts a thread's CPU time where the interleaved tables say
 * it is: a caller's under callers, any other thread's under the threads that handle the
 * calls.
 */
class ThreadCpuTests {

	private static final long MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	@Test
	void callerThreadsCountAsCallers() throws InterruptedException {
		ThreadCpu.Split used = whileSpinning(ThreadCpu.CALLER_PREFIX + "test", () -> {
		});
		assertThat(used.callers()).isGreaterThan(MIN_NANOS);
		assertThat(used.handlers()).isLessThan(used.callers());
	}

	@Test
	void otherThreadsCountAsHandlersAndAreReadAlone() throws InterruptedException {
		long[] read = new long[1];
		ThreadCpu.Split used = whileSpinning("worker-under-test", () -> {
			long[] handlers = ThreadCpu.handlerThreads();
			long before = ThreadCpu.nanos(handlers);
			sleep();
			read[0] = ThreadCpu.nanos(handlers) - before;
		});
		assertThat(used.handlers()).isGreaterThan(MIN_NANOS);
		assertThat(used.callers()).isZero();
		assertThat(read[0]).isGreaterThan(MIN_NANOS);
	}

	/** What a thread of that name spinning for a while uses, sampled while it runs. */
	private static ThreadCpu.Split whileSpinning(String name, Runnable during) throws InterruptedException {
		Thread thread = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				Thread.onSpinWait();
			}
		}, name);
		thread.start();
		try {
			ThreadCpu before = ThreadCpu.sample();
			sleep();
			during.run();
			return ThreadCpu.sample().since(before);
		}
		finally {
			thread.interrupt();
			thread.join(TimeUnit.SECONDS.toMillis(5));
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(30);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
