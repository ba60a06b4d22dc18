/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Runs variants of one call <em>alternating</em> in one JVM and prints a Markdown table
 * of them: each round runs every variant once, for a short batch of calls from
 * {@code callers} threads at once, in an order that rotates from round to round. This
 * VM's thread wake-up cost jumps between two levels from moment to moment, so variants
 * measured one after the other compare different machine states; in alternation, each
 * round compares them in the same state.
 * <p>
 * Reported per variant: the median of the round medians of the call latency and their
 * spread (lowest to highest), the median of the per-round ratios to the first variant
 * (the baseline) and of the per-round differences from it, and the CPU per call over all
 * rounds, split between the callers, the threads that handle the calls (loop, workers,
 * carriers) and the JVM's own threads ({@link ThreadCpu}). {@link #idleAfter} measures
 * what the threads a variant woke up use once its load stops.
 * <p>
 * Not thread-safe: one thread drives it; close it to stop the caller threads.
 */
final class Interleaved implements AutoCloseable {

	private static final long[] IDLE_WINDOWS_MILLIS = { 10, 100, 1_000 };

	/** The least time each comparison warms its variants up for. */
	private static final Duration WARM_UP = Duration.ofSeconds(3);

	private final int callers;

	private final int rounds;

	private final int calls;

	private final int callsPerSample;

	private final ExecutorService callerThreads;

	/** Keeps the calls' results alive, so the JIT cannot drop the calls. */
	@SuppressWarnings("unused")
	private volatile int sink;

	/**
	 * @param callers how many threads call at once
	 * @param rounds how many rounds
	 * @param calls calls per caller per round and variant
	 * @param callsPerSample calls timed together, for calls shorter than a microsecond
	 * @param onCallerStart what each caller thread runs first (such as entering a request
	 * context), on that thread
	 */
	Interleaved(int callers, int rounds, int calls, int callsPerSample, Runnable onCallerStart) {
		if (calls % callsPerSample != 0) {
			throw new IllegalArgumentException(
					"calls (" + calls + ") must be a multiple of callsPerSample (" + callsPerSample + ")");
		}
		this.callers = callers;
		this.rounds = rounds;
		this.calls = calls;
		this.callsPerSample = callsPerSample;
		AtomicInteger count = new AtomicInteger();
		this.callerThreads = Executors.newFixedThreadPool(callers, (task) -> new Thread(() -> {
			onCallerStart.run();
			task.run();
		}, ThreadCpu.CALLER_PREFIX + count.incrementAndGet()));
	}

	Interleaved(int callers, int rounds, int calls) {
		this(callers, rounds, calls, 1, () -> {
		});
	}

	/**
	 * Measures the variants in alternation, the first one being the baseline, and prints
	 * their table under {@code title}.
	 */
	void compare(String title, List<Variant> variants) throws Exception {
		String loadBefore = loadAverage();
		// At least three batches of each variant, and at least WARM_UP: right after the
		// application starts, the JIT compiles its start-up code on the other core for a
		// few seconds, and a caller and a loop sharing one core measure that instead.
		long warmUpEnd = System.nanoTime() + WARM_UP.toNanos();
		for (int warmUp = 0; warmUp < 3 || System.nanoTime() - warmUpEnd < 0; warmUp++) {
			for (Variant variant : variants) {
				batch(variant.call());
			}
		}
		List<Result> results = new ArrayList<>();
		variants.forEach((variant) -> results.add(new Result(variant)));
		for (int round = 0; round < this.rounds; round++) {
			for (int k = 0; k < variants.size(); k++) {
				Result result = results.get((round + k) % variants.size());
				ThreadCpu before = ThreadCpu.sample();
				double median = batch(result.variant.call());
				result.cpu = result.cpu.plus(ThreadCpu.sample().since(before));
				result.medians.add(median);
			}
			double baseline = results.get(0).medians.get(round);
			for (Result result : results) {
				double median = result.medians.get(round);
				result.ratios.add(median / baseline);
				result.differences.add(median - baseline);
			}
		}
		printTable(title, loadBefore, results);
	}

	/**
	 * Runs one batch of each variant, then measures the CPU the process uses in the
	 * windows 0–10 ms, 10–100 ms and 0.1–1 s after its last call, over all rounds, and
	 * prints the medians as a share of one core.
	 */
	void idleAfter(String title, List<Variant> variants) throws Exception {
		String loadBefore = loadAverage();
		List<List<List<Double>>> handlers = new ArrayList<>();
		List<List<List<Double>>> all = new ArrayList<>();
		for (int v = 0; v < variants.size(); v++) {
			handlers.add(windows());
			all.add(windows());
		}
		for (Variant variant : variants) {
			batch(variant.call());
		}
		for (int round = 0; round < this.rounds; round++) {
			for (int k = 0; k < variants.size(); k++) {
				int v = (round + k) % variants.size();
				long[] handlerThreads = ThreadCpu.handlerThreads();
				batch(variants.get(v).call());
				long previousHandlers = ThreadCpu.nanos(handlerThreads);
				long start = System.nanoTime();
				long previousNanos = start;
				ThreadCpu previous = ThreadCpu.sample();
				for (int w = 0; w < IDLE_WINDOWS_MILLIS.length; w++) {
					long end = start + TimeUnit.MILLISECONDS.toNanos(IDLE_WINDOWS_MILLIS[w]);
					while (System.nanoTime() < end) {
						LockSupport.parkNanos(end - System.nanoTime());
					}
					long nowHandlers = ThreadCpu.nanos(handlerThreads);
					long now = System.nanoTime();
					ThreadCpu sample = ThreadCpu.sample();
					handlers.get(v).get(w).add(100.0 * (nowHandlers - previousHandlers) / (now - previousNanos));
					all.get(v).get(w).add(100.0 * sample.since(previous).total() / (now - previousNanos));
					previous = sample;
					previousHandlers = nowHandlers;
					previousNanos = now;
				}
			}
		}
		System.out.printf(Locale.ROOT, "%n### %s%n%n%s%n%n", title, caption(loadBefore));
		System.out.println("| after the load of | 0–10 ms | 10–100 ms | 0.1–1 s |");
		System.out.println("|---|---|---|---|");
		for (int v = 0; v < variants.size(); v++) {
			StringBuilder row = new StringBuilder("| " + variants.get(v).name() + " |");
			for (int w = 0; w < IDLE_WINDOWS_MILLIS.length; w++) {
				row.append(String.format(Locale.ROOT, " %s%% (%s%%) |",
						RoundFigures.format(RoundFigures.median(handlers.get(v).get(w))),
						RoundFigures.format(RoundFigures.median(all.get(v).get(w)))));
			}
			System.out.println(row);
		}
		System.out.printf(Locale.ROOT, "%nCPU as a share of one core, median of %d rounds: the threads that handled "
				+ "the calls (loop, workers, carriers; read within microseconds of the last call), and in brackets "
				+ "the whole process but the harness's main thread (with GC and JIT finishing the load's work). "
				+ "Each window starts where the one before ends.%n", this.rounds);
	}

	private static List<List<Double>> windows() {
		List<List<Double>> windows = new ArrayList<>();
		for (int w = 0; w < IDLE_WINDOWS_MILLIS.length; w++) {
			windows.add(new ArrayList<>());
		}
		return windows;
	}

	/**
	 * One batch of the call on every caller at once.
	 * @return the median latency of the batch's calls, in microseconds
	 */
	private double batch(IntUnaryOperator call) throws Exception {
		CyclicBarrier start = new CyclicBarrier(this.callers);
		List<Future<long[]>> batches = new ArrayList<>();
		for (int c = 0; c < this.callers; c++) {
			batches.add(this.callerThreads.submit(() -> {
				start.await();
				return samples(call);
			}));
		}
		int perCaller = this.calls / this.callsPerSample;
		long[] all = new long[perCaller * this.callers];
		for (int c = 0; c < this.callers; c++) {
			System.arraycopy(batches.get(c).get(), 0, all, c * perCaller, perCaller);
		}
		Arrays.sort(all);
		return all[all.length / 2] / 1_000.0 / this.callsPerSample;
	}

	private long[] samples(IntUnaryOperator call) {
		long[] samples = new long[this.calls / this.callsPerSample];
		int results = 0;
		for (int s = 0; s < samples.length; s++) {
			long start = System.nanoTime();
			for (int i = 0; i < this.callsPerSample; i++) {
				results += call.applyAsInt(i);
			}
			samples[s] = System.nanoTime() - start;
		}
		this.sink = results;
		return samples;
	}

	private void printTable(String title, String loadBefore, List<Result> results) {
		System.out.printf(Locale.ROOT, "%n### %s%n%n%s%n%n", title, caption(loadBefore));
		System.out.println("| variant | median µs | spread µs | ratio to baseline | added µs | CPU µs/call "
				+ "| callers | loop, workers | JVM | bar |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|");
		long callsPerVariant = (long) this.rounds * this.callers * this.calls;
		for (Result result : results) {
			double median = RoundFigures.median(result.medians);
			double ratio = RoundFigures.median(result.ratios);
			double added = RoundFigures.median(result.differences);
			Bar bar = result.variant.bar();
			System.out.printf(Locale.ROOT, "| %s | %s | %s–%s | %.2f× | %s | %s | %s | %s | %s | %s |%n",
					result.variant.name(), RoundFigures.format(median),
					RoundFigures.format(RoundFigures.min(result.medians)),
					RoundFigures.format(RoundFigures.max(result.medians)), ratio, RoundFigures.format(added),
					perCall(result.cpu.total(), callsPerVariant), perCall(result.cpu.callers(), callsPerVariant),
					perCall(result.cpu.handlers(), callsPerVariant), perCall(result.cpu.jvm(), callsPerVariant),
					(bar != null) ? bar.judge(median, ratio, added) : "");
		}
		System.out.printf(Locale.ROOT,
				"%nLatency: median of %d round medians, spread of the round medians, and the medians of the "
						+ "per-round ratios to and differences from the first row. CPU: all rounds' CPU time "
						+ "divided by their calls, per kind of thread (JVM: GC, JIT, VM threads; the harness's main thread is left out).%n",
				this.rounds);
	}

	private static String perCall(long nanos, long calls) {
		return RoundFigures.format(nanos / 1_000.0 / calls);
	}

	private String caption(String loadBefore) {
		return String.format(Locale.ROOT,
				"_Java %s, commit `%s`, %s, load average %s before, %s after; %d rounds × %,d calls per caller "
						+ "× %d caller%s; %d CPUs._",
				System.getProperty("java.version"), System.getProperty("bench.commit", "unknown"),
				Instant.now().truncatedTo(ChronoUnit.SECONDS), loadBefore, loadAverage(), this.rounds, this.calls,
				this.callers, (this.callers == 1) ? "" : "s", Runtime.getRuntime().availableProcessors());
	}

	/** The 1, 5 and 15 minute load averages of the machine. */
	private static String loadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	@Override
	public void close() {
		this.callerThreads.shutdownNow();
	}

	/**
	 * One way to make the call, with the bar it must meet, if any.
	 */
	record Variant(String name, IntUnaryOperator call, @Nullable Bar bar) {

		Variant(String name, IntUnaryOperator call) {
			this(name, call, null);
		}

	}

	/**
	 * A bar for a variant: limits on its median latency, its ratio to the baseline and
	 * the latency it adds to the baseline's, any of which may be unbounded.
	 */
	record Bar(double medianBelowMicros, double ratioAtMost, double addedBelowMicros) {

		private static final double NONE = Double.POSITIVE_INFINITY;

		static Bar medianBelow(double micros) {
			return new Bar(micros, NONE, NONE);
		}

		static Bar ratioAtMost(double ratio) {
			return new Bar(NONE, ratio, NONE);
		}

		static Bar addedBelow(double micros) {
			return new Bar(NONE, NONE, micros);
		}

		/** This bar and the other one: the tighter of each limit. */
		Bar and(Bar other) {
			return new Bar(Math.min(this.medianBelowMicros, other.medianBelowMicros),
					Math.min(this.ratioAtMost, other.ratioAtMost),
					Math.min(this.addedBelowMicros, other.addedBelowMicros));
		}

		String judge(double median, double ratio, double added) {
			List<String> parts = new ArrayList<>();
			if (this.medianBelowMicros != NONE) {
				parts.add("median < " + RoundFigures.format(this.medianBelowMicros) + " µs");
			}
			if (this.ratioAtMost != NONE) {
				parts.add("≤ " + RoundFigures.format(this.ratioAtMost) + "×");
			}
			if (this.addedBelowMicros != NONE) {
				parts.add("< " + RoundFigures.format(this.addedBelowMicros) + " µs added");
			}
			boolean met = median < this.medianBelowMicros && ratio <= this.ratioAtMost && added < this.addedBelowMicros;
			return String.join(" and ", parts) + ": " + (met ? "**met**" : "**missed**");
		}

	}

	/**
	 * Per-round figures of one variant.
	 */
	private static final class Result {

		final Variant variant;

		final List<Double> medians = new ArrayList<>();

		final List<Double> ratios = new ArrayList<>();

		final List<Double> differences = new ArrayList<>();

		ThreadCpu.Split cpu = ThreadCpu.Split.NONE;

		Result(Variant variant) {
			this.variant = variant;
		}

	}

}
