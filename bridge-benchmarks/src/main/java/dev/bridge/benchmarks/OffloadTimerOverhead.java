/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.bridge.autoconfigure.metrics.BridgeCallTimers;
import dev.bridge.offload.Offloader;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the real offload timers cost a call: an offloader without a call observer beside
 * one recording {@code bridge.offload.calls} and {@code bridge.offload.queue.wait} into a
 * registry that gives them a percentile histogram and two percentiles (the costliest
 * thing Boot's {@code management.metrics.distribution.*} can ask for), interleaved in
 * ABBA rounds. Measures the median latency of sequential trivial calls and the time of a
 * burst of concurrent trivial calls; prints the median of round medians and the spread.
 * <p>
 * Run: {@code java -cp <classpath> dev.bridge.benchmarks.OffloadTimerOverhead [rounds]}.
 */
public final class OffloadTimerOverhead {

	private static final int SEQUENTIAL_CALLS = 5_000;

	private static final int BURST_CALLS = 20_000;

	private OffloadTimerOverhead() {
	}

	public static void main(String[] args) {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 12;
		List<Double> latencyOn = new ArrayList<>();
		List<Double> latencyOff = new ArrayList<>();
		List<Double> burstOn = new ArrayList<>();
		List<Double> burstOff = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			boolean onFirst = (round % 2 == 0);
			for (int half = 0; half < 2; half++) {
				boolean on = (half == 0) == onFirst;
				double[] result = round(on);
				(on ? latencyOn : latencyOff).add(result[0]);
				(on ? burstOn : burstOff).add(result[1]);
			}
		}
		System.out.printf(Locale.ROOT, "Java %s, %d rounds (ABBA), timers with percentile histogram%n",
				Runtime.version(), rounds);
		RoundFigures.onOff("sequential call, median us", "timers", latencyOn, latencyOff);
		RoundFigures.onOff("burst of " + BURST_CALLS + " trivial calls, ms", "timers", burstOn, burstOff);
	}

	private static double[] round(boolean timers) {
		Offloader.Builder builder = Offloader.builder();
		if (timers) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			registry.config().meterFilter(new MeterFilter() {
				@Override
				public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
					return DistributionStatisticConfig.builder()
						.percentilesHistogram(true)
						.percentiles(0.5, 0.99)
						.build()
						.merge(config);
				}
			});
			BridgeCallTimers callTimers = new BridgeCallTimers();
			callTimers.bind(registry, Set.of("default"));
			builder.callObserver(callTimers);
		}
		Offloader offloader = builder.build();
		try {
			for (int i = 0; i < 1_000; i++) {
				offloader.future(() -> 1).join();
			}
			long[] nanos = new long[SEQUENTIAL_CALLS];
			for (int i = 0; i < SEQUENTIAL_CALLS; i++) {
				long start = System.nanoTime();
				offloader.future(() -> 1).join();
				nanos[i] = System.nanoTime() - start;
			}
			Arrays.sort(nanos);
			double medianMicros = nanos[nanos.length / 2] / 1_000.0;
			long start = System.nanoTime();
			CompletableFuture<?>[] calls = new CompletableFuture<?>[BURST_CALLS];
			for (int i = 0; i < BURST_CALLS; i++) {
				calls[i] = offloader.future(() -> 1);
			}
			CompletableFuture.allOf(calls).join();
			double burstMillis = (System.nanoTime() - start) / 1_000_000.0;
			return new double[] { medianMicros, burstMillis };
		}
		finally {
			offloader.finishShutdown(Duration.ofSeconds(5));
		}
	}

}
