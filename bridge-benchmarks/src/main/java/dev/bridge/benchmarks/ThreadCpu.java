/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time of every thread of this process, read from Linux's
 * {@code /proc/self/task/<tid>/schedstat} (nanoseconds, unlike the 10 ms ticks of
 * {@code OperatingSystemMXBean.getProcessCpuTime()}), grouped by what the thread does:
 * the harness's caller threads (named {@value #CALLER_PREFIX}…), the JVM's own threads
 * (GC, JIT compilers, VM threads), the harness's main thread, and all the others: the
 * loop, pool workers, virtual-thread carriers and every other thread the code under test
 * starts. A thread that ends between two samples loses what it used after the first one;
 * the pools measured here keep their threads for longer than a batch. A sample takes
 * about 0.4 ms on this VM; {@link #handlerThreads()} and {@link #nanos(long[])} read the
 * handlers alone within microseconds. Not thread-safe: one sample belongs to the thread
 * that took it.
 */
final class ThreadCpu {

	static final String CALLER_PREFIX = "bench-caller-";

	private static final Path TASKS = Path.of("/proc/self/task");

	/** Linux thread names (at most 15 characters) of the JVM's own threads. */
	private static final String[] JVM_THREADS = { "GC Thread", "G1 ", "C1 CompilerThre", "C2 CompilerThre", "VM Thread",
			"VM Periodic Tas", "Signal Dispatch", "Service Thread", "Monitor Deflati", "Notification Th",
			"Common-Cleaner", "Finalizer", "Reference Handl", "Sweeper thread", "Attach Listener", "java" };

	private static final String HARNESS_THREAD = "main";

	private final Map<String, Long> nanosByThread;

	private ThreadCpu(Map<String, Long> nanosByThread) {
		this.nanosByThread = nanosByThread;
	}

	/**
	 * Reads the CPU time of every live thread of the process.
	 */
	static ThreadCpu sample() {
		Map<String, Long> nanos = new HashMap<>();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
			for (Path task : tasks) {
				try {
					String name = Files.readString(task.resolve("comm")).strip();
					String schedstat = Files.readString(task.resolve("schedstat"));
					nanos.put(task.getFileName() + " " + name,
							Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))));
				}
				catch (NoSuchFileException ex) {
					// the thread ended while the directory was read
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read per-thread CPU time from " + TASKS, ex);
		}
		return new ThreadCpu(nanos);
	}

	/**
	 * The CPU time used since {@code earlier}, per kind of thread.
	 */
	Split since(ThreadCpu earlier) {
		long callers = 0;
		long handlers = 0;
		long jvm = 0;
		long harness = 0;
		for (Map.Entry<String, Long> entry : this.nanosByThread.entrySet()) {
			long used = entry.getValue() - earlier.nanosByThread.getOrDefault(entry.getKey(), 0L);
			String name = entry.getKey().substring(entry.getKey().indexOf(' ') + 1);
			switch (kind(name)) {
				case CALLER -> callers += used;
				case JVM -> jvm += used;
				case HARNESS -> harness += used;
				case HANDLER -> handlers += used;
			}
		}
		return new Split(callers, handlers, jvm, harness);
	}

	/**
	 * The Java platform threads that handle calls now (loop, workers, carriers), to read
	 * their CPU time with {@link #nanos(long[])}.
	 */
	static long[] handlerThreads() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
			.filter((info) -> info != null && kind(info.getThreadName()) == Kind.HANDLER)
			.mapToLong(ThreadInfo::getThreadId)
			.toArray();
	}

	/**
	 * The CPU time the given Java threads have used, in nanoseconds.
	 */
	static long nanos(long[] threadIds) {
		long total = 0;
		for (long used : ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
			.getThreadCpuTime(threadIds)) {
			total += Math.max(0, used);
		}
		return total;
	}

	private static Kind kind(String name) {
		if (name.startsWith(CALLER_PREFIX)) {
			return Kind.CALLER;
		}
		if (name.equals(HARNESS_THREAD)) {
			return Kind.HARNESS;
		}
		return isJvmThread(name) ? Kind.JVM : Kind.HANDLER;
	}

	private static boolean isJvmThread(String name) {
		for (String prefix : JVM_THREADS) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private enum Kind {

		CALLER, HANDLER, JVM, HARNESS

	}

	/**
	 * CPU nanoseconds per kind of thread: the callers, the threads that handle their
	 * calls (loop, workers, carriers and any other thread of the code under test), the
	 * JVM's own threads, and the harness's main thread (which only waits and reads these
	 * figures).
	 */
	record Split(long callers, long handlers, long jvm, long harness) {

		static final Split NONE = new Split(0, 0, 0, 0);

		/** All but the harness: what the calls cost the process. */
		long total() {
			return this.callers + this.handlers + this.jvm;
		}

		Split plus(Split other) {
			return new Split(this.callers + other.callers, this.handlers + other.handlers, this.jvm + other.jvm,
					this.harness + other.harness);
		}

	}

}
