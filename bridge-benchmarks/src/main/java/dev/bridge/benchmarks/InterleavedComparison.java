/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntUnaryOperator;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Bridge and its baselines measured <em>alternating</em> in one JVM: each round runs
 * every variant once, for a short batch of sequential calls, in an order that rotates
 * from round to round. This VM's thread wake-up cost jumps between two levels from moment
 * to moment, so variants measured one after the other compare different machine states;
 * measured in alternation, each round compares them in the same state. Reported per
 * variant: the median of the round medians of the call latency, the spread of those round
 * medians (lowest to highest), the median of the per-round ratios to the variant's
 * baseline, and the process CPU time per call (all threads: caller, worker, loop) beside
 * it. After the load, the idle cost of the warm pools and the loop is measured over one
 * second.
 * <p>
 * Run with {@code bridge-benchmarks/run.sh --only interleaved}, or directly with
 * {@code java -cp <classpath> dev.bridge.benchmarks.InterleavedComparison [rounds]
 * [callsPerBatch]}.
 */
public final class InterleavedComparison {

	private static final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private InterleavedComparison() {
	}

	/**
	 * Runs the comparison and prints the tables.
	 * @param args rounds (default 21) and calls per batch (default 2,000)
	 * @throws Exception when a variant fails
	 */
	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 21;
		int calls = (args.length > 1) ? Integer.parseInt(args[1]) : 2_000;
		ConfigurableApplicationContext context = SpringContexts.start(Map.of());
		ExecutorService cached = Executors.newCachedThreadPool();
		ExecutorService single = Executors.newSingleThreadExecutor();
		LoopRunner loop = context.getBean(LoopRunner.class);
		Offloader offloader = context.getBean(Offloader.class);
		SpringContexts.OffloadedWork offloaded = context.getBean(SpringContexts.OffloadedWork.class);
		SpringContexts.LoopWork looped = context.getBean(SpringContexts.LoopWork.class);
		try {
			Map<String, Variant> offload = new LinkedHashMap<>();
			offload.put("baseline: fromCallable.subscribeOn(boundedElastic).block()", new Variant(
					(i) -> Mono.fromCallable(() -> i + 1).subscribeOn(Schedulers.boundedElastic()).block()));
			offload.put("Bridge @OffloadBlocking -> Mono, block()", new Variant((i) -> offloaded.increment(i).block()));
			offload.put("Bridge Offloader.mono(..).block()", new Variant((i) -> offloader.mono(() -> i + 1).block()));
			offload.put("CompletableFuture.supplyAsync(cached pool).join()",
					new Variant((i) -> CompletableFuture.supplyAsync(() -> i + 1, cached).join()));
			Map<String, Variant> roundTrip = new LinkedHashMap<>();
			roundTrip.put("baseline: supplyAsync(single thread).join()",
					new Variant((i) -> CompletableFuture.supplyAsync(() -> i + 1, single).join()));
			roundTrip.put("Bridge LoopRunner.call(..)", new Variant((i) -> loop.call(() -> i + 1)));
			roundTrip.put("Bridge @RunOnLoop sync", new Variant(looped::echo));
			System.out.printf(Locale.ROOT, "%nJava %s, %d rounds of %d sequential calls per variant%n",
					System.getProperty("java.version"), rounds, calls);
			report("Offload round trip, one sequential caller", measure(offload, rounds, calls));
			report("Sync -> loop round trip, one sequential caller", measure(roundTrip, rounds, calls));
			System.out.printf(Locale.ROOT, "%nIdle after the load (warm pools and loop, 1 s): %.2f%% of one core%n",
					idlePercent());
		}
		finally {
			cached.shutdownNow();
			single.shutdownNow();
			context.close();
		}
	}

	private static Map<String, Result> measure(Map<String, Variant> variants, int rounds, int calls) {
		List<String> names = new ArrayList<>(variants.keySet());
		Map<String, Result> results = new LinkedHashMap<>();
		names.forEach((name) -> results.put(name, new Result()));
		for (String name : names) {
			batch(variants.get(name).call(), calls);
		}
		long[] latencies = new long[calls];
		for (int round = 0; round < rounds; round++) {
			for (int k = 0; k < names.size(); k++) {
				String name = names.get((round + k) % names.size());
				IntUnaryOperator call = variants.get(name).call();
				long cpuBefore = os.getProcessCpuTime();
				for (int i = 0; i < calls; i++) {
					long start = System.nanoTime();
					call.applyAsInt(i);
					latencies[i] = System.nanoTime() - start;
				}
				long cpu = os.getProcessCpuTime() - cpuBefore;
				Arrays.sort(latencies);
				Result result = results.get(name);
				result.medians.add(latencies[calls / 2] / 1000.0);
				result.cpuNanos += cpu;
				result.calls += calls;
			}
			double baselineMedian = results.get(names.get(0)).medians.get(round);
			for (String name : names) {
				results.get(name).ratios.add(results.get(name).medians.get(round) / baselineMedian);
			}
		}
		return results;
	}

	private static void batch(IntUnaryOperator call, int calls) {
		for (int i = 0; i < calls; i++) {
			call.applyAsInt(i);
		}
	}

	private static void report(String title, Map<String, Result> results) {
		System.out.printf(Locale.ROOT, "%n%s%n%n", title);
		System.out.println("| variant | median of round medians (µs) | spread of round medians (µs) "
				+ "| ratio to baseline (median of per-round ratios) | CPU per call (µs, all threads, over all rounds) |");
		System.out.println("|---|---|---|---|---|");
		results.forEach((name, result) -> System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f–%.1f | %.2f× | %.1f |%n",
				name, RoundFigures.median(result.medians), RoundFigures.min(result.medians),
				RoundFigures.max(result.medians), RoundFigures.median(result.ratios),
				result.cpuNanos / 1000.0 / result.calls));
	}

	private static double idlePercent() throws InterruptedException {
		long cpuBefore = os.getProcessCpuTime();
		long wallBefore = System.nanoTime();
		Thread.sleep(1000);
		return 100.0 * (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - wallBefore);
	}

	/**
	 * One way to make the call.
	 */
	private record Variant(IntUnaryOperator call) {
	}

	/**
	 * Per-round figures of one variant.
	 */
	private static final class Result {

		final List<Double> medians = new ArrayList<>();

		final List<Double> ratios = new ArrayList<>();

		/**
		 * Process CPU time over all measured batches (the OS counts it in 10 ms ticks).
		 */
		long cpuNanos;

		long calls;

	}

}
