/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

import reactor.core.publisher.Mono;

/**
 * What callers waiting for loop work cost: the CPU time of the waiting threads per second
 * of wall time while the loop is saturated by tasks of 20 to 100 µs, for 1, 8 and 64
 * callers, and the latency and CPU time per call of the sync round trip
 * ({@code LoopRunner.call(() -> 1)}) on an idle loop, for 1 and 8 callers.
 * <p>
 * The Bridge of this class path is measured against other builds of {@code bridge-core}
 * (each given as {@code name=path}, a directory of classes or a jar, loaded child-first
 * in a class loader of its own so both run in this JVM): each round runs every build once
 * per scenario, for a short window, in an order that rotates from round to round, because
 * this VM's thread wake-up cost changes from moment to moment (see docs/benchmarks.md).
 * Reported per build: the median of the round figures and their spread.
 * <p>
 * Saturation: a feeder thread keeps two {@code submit(..)} tasks of 20 to 100 µs queued
 * on the loop, and each caller calls {@code call(..)} with a task of 20 to 100 µs in a
 * loop. The waiters' CPU is the thread CPU time of the caller threads only
 * ({@link ThreadMXBean#getThreadCpuTime}): neither the loop nor the feeder is counted.
 * <p>
 * Run with {@code bridge-benchmarks/run.sh --only waiters [--baseline <git-ref>]}, or
 * directly with {@code java -cp <classpath> dev.bridge.benchmarks.WaiterCpu [rounds]
 * [windowMillis] [name=path ...]}.
 */
public final class WaiterCpu {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private static final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final long WARM_UP_NANOS = Duration.ofMillis(100).toNanos();

	private WaiterCpu() {
	}

	/**
	 * Runs the scenarios and prints the tables.
	 * @param args rounds (default 11), window in milliseconds (default 400), then other
	 * builds of bridge-core as {@code name=path}
	 * @throws Exception when a build cannot be loaded or a call fails
	 */
	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 11;
		long windowNanos = Duration.ofMillis((args.length > 1) ? Long.parseLong(args[1]) : 400).toNanos();
		List<Build> builds = new ArrayList<>();
		builds.add(Build.load("this build", WaiterCpu.class.getClassLoader()));
		for (int i = 2; i < args.length; i++) {
			String[] spec = args[i].split("=", 2);
			builds.add(Build.load(spec[0], new ChildFirst(new File(spec[1]).toURI().toURL())));
		}
		try {
			System.out.printf(Locale.ROOT, "%nJava %s, %d cores, %d rounds of %d ms per build and scenario, load %s%n",
					System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), rounds,
					Duration.ofNanos(windowNanos).toMillis(), loadAverage());
			Map<String, Map<String, Figures>> results = new LinkedHashMap<>();
			for (int callers : new int[] { 1, 8, 64 }) {
				results.put("saturated, " + callers + " caller" + ((callers > 1) ? "s" : ""),
						measure(builds, rounds, (build) -> saturated(build, callers, windowNanos)));
			}
			for (int callers : new int[] { 1, 8 }) {
				results.put("round trip, " + callers + " caller" + ((callers > 1) ? "s" : ""),
						measure(builds, rounds, (build) -> roundTrip(build, callers, windowNanos)));
			}
			report(results);
			System.out.printf(Locale.ROOT, "%nload after: %s%n", loadAverage());
		}
		finally {
			builds.forEach(Build::close);
		}
	}

	private static Map<String, Figures> measure(List<Build> builds, int rounds, Scenario scenario) throws Exception {
		Map<String, Figures> figures = new LinkedHashMap<>();
		for (Build build : builds) {
			figures.put(build.name, new Figures());
			scenario.run(build);
		}
		for (int round = 0; round < rounds; round++) {
			for (int k = 0; k < builds.size(); k++) {
				Build build = builds.get((round + k) % builds.size());
				figures.get(build.name).add(scenario.run(build));
			}
		}
		return figures;
	}

	/**
	 * Callers each calling loop work of 20 to 100 µs, on a loop a feeder keeps busy.
	 */
	private static Window saturated(Build build, int callers, long windowNanos) throws Exception {
		Semaphore backlog = new Semaphore(2);
		Thread feeder = new Thread(() -> {
			try {
				while (!Thread.currentThread().isInterrupted()) {
					backlog.acquire();
					build.submit(Mono.fromRunnable(WaiterCpu::busy))
						.whenComplete((ignored, error) -> backlog.release());
				}
			}
			catch (InterruptedException ex) {
				// the window is over
			}
		}, "feeder");
		feeder.start();
		try {
			return run(callers, windowNanos, () -> {
				build.call(() -> {
					busy();
					return 1;
				});
				return true;
			});
		}
		finally {
			feeder.interrupt();
			feeder.join();
			// Let the loop finish the backlog before the next window.
			build.call(() -> 1);
		}
	}

	/** Callers each calling {@code call(() -> 1)} on an otherwise idle loop. */
	private static Window roundTrip(Build build, int callers, long windowNanos) throws Exception {
		return run(callers, windowNanos, () -> build.call(() -> 1) != null);
	}

	private static void busy() {
		long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(20_000, 100_001);
		while (System.nanoTime() - until < 0) {
			Thread.onSpinWait();
		}
	}

	/**
	 * Runs {@code callers} threads making calls; after a warm-up, measures over the
	 * window their thread CPU time, the process CPU time, the calls made and their
	 * latencies.
	 */
	private static Window run(int callers, long windowNanos, Callable<Boolean> call) throws Exception {
		Caller[] running = new Caller[callers];
		CountDownLatch started = new CountDownLatch(callers);
		for (int i = 0; i < callers; i++) {
			running[i] = new Caller(call, started, (1 << 21) / callers);
			running[i].start();
		}
		started.await();
		Thread.sleep(Duration.ofNanos(WARM_UP_NANOS).toMillis());
		long[] cpuBefore = new long[callers];
		for (int i = 0; i < callers; i++) {
			running[i].recording = true;
			cpuBefore[i] = threads.getThreadCpuTime(running[i].getId());
		}
		long processBefore = os.getProcessCpuTime();
		long wallBefore = System.nanoTime();
		Thread.sleep(Duration.ofNanos(windowNanos).toMillis());
		long waiterCpu = 0;
		for (int i = 0; i < callers; i++) {
			running[i].recording = false;
			waiterCpu += threads.getThreadCpuTime(running[i].getId()) - cpuBefore[i];
		}
		long processCpu = os.getProcessCpuTime() - processBefore;
		long wall = System.nanoTime() - wallBefore;
		List<long[]> samples = new ArrayList<>();
		long calls = 0;
		for (Caller caller : running) {
			caller.interrupt();
			caller.join();
			if (caller.failure != null) {
				throw caller.failure;
			}
			samples.add(Arrays.copyOf(caller.latencies, caller.recorded));
			calls += caller.recorded;
		}
		long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
		double median = (all.length > 0) ? all[all.length / 2] / 1000.0 : Double.NaN;
		return new Window((double) waiterCpu / wall, median, (double) waiterCpu / Math.max(1, calls) / 1000.0,
				(double) processCpu / Math.max(1, calls) / 1000.0, calls * 1e9 / wall);
	}

	private static void report(Map<String, Map<String, Figures>> results) {
		System.out.println();
		System.out.println("| scenario | build | waiter CPU s per wall s | calls/s | median call (µs) "
				+ "| waiter CPU per call (µs) | process CPU per call (µs) |");
		System.out.println("|---|---|---|---|---|---|---|");
		results.forEach((scenario,
				byBuild) -> byBuild.forEach((build, figures) -> System.out.printf(Locale.ROOT,
						"| %s | %s | %s | %s | %s | %s | %s |%n", scenario, build, figures.cpuPerWall.format("%.3f"),
						figures.callsPerSecond.format("%.0f"), figures.medianMicros.format("%.2f"),
						figures.waiterCpuPerCall.format("%.2f"), figures.processCpuPerCall.format("%.2f"))));
		System.out.println();
		System.out.println("Each cell: median of the round figures (lowest..highest round).");
	}

	private static String loadAverage() {
		try {
			return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
		}
		catch (java.io.IOException ex) {
			return "unknown (" + os.getSystemLoadAverage() + ")";
		}
	}

	@FunctionalInterface
	private interface Scenario {

		Window run(Build build) throws Exception;

	}

	/** The figures of one window. */
	private record Window(double cpuPerWall, double medianMicros, double waiterCpuPerCall, double processCpuPerCall,
			double callsPerSecond) {
	}

	/** One figure over the rounds. */
	private static final class Series {

		private final List<Double> values = new ArrayList<>();

		String format(String number) {
			return String.format(Locale.ROOT, number + " (" + number + ".." + number + ")",
					RoundFigures.median(this.values), RoundFigures.min(this.values), RoundFigures.max(this.values));
		}

	}

	/** The figures of one build in one scenario, over the rounds. */
	private static final class Figures {

		final Series cpuPerWall = new Series();

		final Series medianMicros = new Series();

		final Series waiterCpuPerCall = new Series();

		final Series processCpuPerCall = new Series();

		final Series callsPerSecond = new Series();

		void add(Window window) {
			this.cpuPerWall.values.add(window.cpuPerWall());
			this.medianMicros.values.add(window.medianMicros());
			this.waiterCpuPerCall.values.add(window.waiterCpuPerCall());
			this.processCpuPerCall.values.add(window.processCpuPerCall());
			this.callsPerSecond.values.add(window.callsPerSecond());
		}

	}

	/** A thread calling in a loop, recording latencies while asked to. */
	private static final class Caller extends Thread {

		private final Callable<Boolean> call;

		private final CountDownLatch started;

		volatile boolean recording;

		final long[] latencies;

		int recorded;

		volatile Exception failure;

		Caller(Callable<Boolean> call, CountDownLatch started, int samples) {
			super("waiter");
			this.latencies = new long[samples];
			this.call = call;
			this.started = started;
			setDaemon(true);
		}

		@Override
		public void run() {
			this.started.countDown();
			try {
				while (!isInterrupted()) {
					long start = System.nanoTime();
					this.call.call();
					if (this.recording && this.recorded < this.latencies.length) {
						this.latencies[this.recorded++] = System.nanoTime() - start;
					}
				}
			}
			catch (Exception ex) {
				if (!isInterrupted()) {
					this.failure = ex;
				}
			}
		}

	}

	/**
	 * One build of bridge-core: its loop runner, called through reflection so that builds
	 * from other class loaders are called the same way.
	 */
	private static final class Build {

		final String name;

		private final Object runner;

		private final Method call;

		private final Method submit;

		private final Method close;

		private Build(String name, Object runner, Method call, Method submit, Method close) {
			this.name = name;
			this.runner = runner;
			this.call = call;
			this.submit = submit;
			this.close = close;
		}

		static Build load(String name, ClassLoader loader) throws Exception {
			Class<?> type = Class.forName("dev.bridge.loop.LoopRunner", true, loader);
			Object builder = type.getMethod("builder").invoke(null);
			Class<?> builderType = type.getMethod("builder").getReturnType();
			builderType.getMethod("threadName", String.class).invoke(builder, "loop-" + name.replace(' ', '-'));
			Object runner = builderType.getMethod("build").invoke(builder);
			return new Build(name, runner, type.getMethod("call", Callable.class), type.getMethod("submit", Mono.class),
					type.getMethod("close"));
		}

		Object call(Callable<?> task) throws Exception {
			try {
				return this.call.invoke(this.runner, task);
			}
			catch (InvocationTargetException ex) {
				throw (ex.getCause() instanceof Exception cause) ? cause : ex;
			}
		}

		CompletableFuture<?> submit(Mono<?> work) {
			try {
				return (CompletableFuture<?>) this.submit.invoke(this.runner, work);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

		void close() {
			try {
				this.close.invoke(this.runner);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * Loads Bridge's classes from its own path first, everything else (Reactor,
	 * Micrometer) from the application class loader, so that two builds of Bridge run
	 * side by side over one Reactor.
	 */
	private static final class ChildFirst extends URLClassLoader {

		ChildFirst(URL path) {
			super(new URL[] { path }, WaiterCpu.class.getClassLoader());
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (!name.startsWith("dev.bridge.") || name.startsWith("dev.bridge.benchmarks.")) {
				return super.loadClass(name, resolve);
			}
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				if (loaded == null) {
					try {
						loaded = findClass(name);
					}
					catch (ClassNotFoundException ex) {
						return super.loadClass(name, resolve);
					}
				}
				if (resolve) {
					resolveClass(loaded);
				}
				return loaded;
			}
		}

	}

}
