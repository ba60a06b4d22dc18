/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;

/**
 * Scenario 7, memory, plus the loop's idle CPU: not a JMH benchmark but a probe that
 * holds 10,000 offloaded calls open at once and reads the heap (after a full GC), the
 * live platform threads and the process's resident memory before and while they are in
 * flight, per call. Run one mode per JVM so one mode's leftovers cannot count against the
 * next: <pre>
 * java -cp ... dev.bridge.benchmarks.Footprint bridge-virtual|bridge-platform|jdk-virtual|loop-idle-cpu out.json
 * </pre> Writes one JSON object to {@code out.json} and prints it.
 */
public final class Footprint {

	static final int CALLS = 10_000;

	private Footprint() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			throw new IllegalArgumentException(
					"usage: Footprint bridge-virtual|bridge-platform|jdk-virtual|loop-idle-cpu <out.json>");
		}
		String mode = args[0];
		String json = switch (mode) {
			case "bridge-virtual" -> inFlight(mode, ThreadMode.VIRTUAL);
			case "bridge-platform" -> inFlight(mode, ThreadMode.PLATFORM);
			case "jdk-virtual" -> inFlightOnJdkVirtualThreads();
			case "loop-idle-cpu" -> loopIdleCpu(Duration.ofSeconds(Long.getLong("footprint.idleSeconds", 5)));
			default -> throw new IllegalArgumentException("unknown mode " + mode);
		};
		Files.writeString(Path.of(args[1]), json + System.lineSeparator());
		System.out.println(json);
	}

	private static String inFlight(String mode, ThreadMode threads) throws Exception {
		Offloader offloader = JdkThreads.offloader(threads, CALLS);
		try {
			return measure(mode, (body) -> offloader.future(() -> {
				body.run();
				return null;
			}));
		}
		finally {
			JdkThreads.shutdown(offloader);
		}
	}

	private static String inFlightOnJdkVirtualThreads() throws Exception {
		ExecutorService executor = JdkThreads.newVirtualThreadPerTaskExecutor();
		try {
			return measure("jdk-virtual", (body) -> CompletableFuture.runAsync(body, executor));
		}
		finally {
			executor.shutdownNow();
		}
	}

	/**
	 * Starts {@link #CALLS} calls that each hold until released, samples while all of
	 * them are in their body, then releases them.
	 */
	private static String measure(String mode, Function<Runnable, CompletableFuture<?>> start) throws Exception {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		// One small warm-up batch so class loading and JIT do not count as per-call cost.
		hold(start, 100, () -> {
		});
		Sample before = Sample.take(memory, threads);
		Sample[] during = new Sample[1];
		hold(start, CALLS, () -> during[0] = Sample.take(memory, threads));
		Sample held = during[0];
		return String.format(Locale.ROOT,
				"{\"mode\":\"%s\",\"java\":\"%s\",\"calls\":%d,\"heapBytesPerCall\":%.1f,"
						+ "\"platformThreadsPerCall\":%.4f,\"rssBytesPerCall\":%.1f,\"heapBefore\":%d,"
						+ "\"heapHeld\":%d,\"threadsBefore\":%d,\"threadsHeld\":%d,\"rssBefore\":%d,\"rssHeld\":%d}",
				mode, System.getProperty("java.version"), CALLS, (held.heap - before.heap) / (double) CALLS,
				(held.threads - before.threads) / (double) CALLS, (held.rss - before.rss) / (double) CALLS, before.heap,
				held.heap, before.threads, held.threads, before.rss, held.rss);
	}

	private static void hold(Function<Runnable, CompletableFuture<?>> start, int calls, Runnable whileHeld)
			throws InterruptedException {
		CountDownLatch entered = new CountDownLatch(calls);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<?>[] futures = new CompletableFuture<?>[calls];
		for (int i = 0; i < calls; i++) {
			futures[i] = start.apply(() -> {
				entered.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
		if (!entered.await(60, TimeUnit.SECONDS)) {
			release.countDown();
			throw new IllegalStateException(
					"only " + (calls - entered.getCount()) + " of " + calls + " calls started within 60 s");
		}
		whileHeld.run();
		release.countDown();
		CompletableFuture.allOf(futures).join();
	}

	/**
	 * CPU time the loop's threads (the loop and its timer) use while the loop has no
	 * work, as a share of one core.
	 */
	private static String loopIdleCpu(Duration window) throws InterruptedException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		try (LoopRunner loop = LoopRunner.create()) {
			String loopThread = loop.call(() -> Thread.currentThread().getName());
			// Let the loop fall from spinning to parked before measuring.
			Thread.sleep(1000);
			long[] ids = threadIds(threads, loopThread);
			long cpuBefore = cpuNanos(threads, ids);
			long wallBefore = System.nanoTime();
			Thread.sleep(window.toMillis());
			long cpu = cpuNanos(threads, ids) - cpuBefore;
			long wall = System.nanoTime() - wallBefore;
			return String.format(Locale.ROOT,
					"{\"mode\":\"loop-idle-cpu\",\"java\":\"%s\",\"threads\":%d,\"windowMillis\":%d,"
							+ "\"cpuMillis\":%.3f,\"cpuPercentOfOneCore\":%.4f}",
					System.getProperty("java.version"), ids.length, TimeUnit.NANOSECONDS.toMillis(wall), cpu / 1e6,
					100.0 * cpu / wall);
		}
	}

	private static long[] threadIds(ThreadMXBean threads, String loopThread) {
		return Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
			.filter((info) -> info != null && info.getThreadName().startsWith(loopThread))
			.mapToLong(ThreadInfo::getThreadId)
			.toArray();
	}

	private static long cpuNanos(ThreadMXBean threads, long[] ids) {
		long total = 0;
		for (long id : ids) {
			total += Math.max(0, threads.getThreadCpuTime(id));
		}
		return total;
	}

	/**
	 * Heap used after a full GC, live platform threads and resident set size.
	 */
	private record Sample(long heap, int threads, long rss) {

		static Sample take(MemoryMXBean memory, ThreadMXBean threads) {
			for (int i = 0; i < 3; i++) {
				System.gc();
			}
			return new Sample(memory.getHeapMemoryUsage().getUsed(), threads.getThreadCount(), residentBytes());
		}

		private static long residentBytes() {
			try {
				for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
					if (line.startsWith("VmRSS:")) {
						return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
					}
				}
			}
			catch (IOException ex) {
				// not Linux: resident memory is reported as zero
			}
			return 0;
		}

	}

}
