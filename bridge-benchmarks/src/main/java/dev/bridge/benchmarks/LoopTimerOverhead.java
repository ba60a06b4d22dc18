/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.bridge.autoconfigure.metrics.BridgeLoopTimers;
import dev.bridge.loop.LoopRunner;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the real {@code bridge.loop.tasks} timer costs a loop round trip: a loop runner
 * without a task observer beside one recording into a registry that gives the timer a
 * percentile histogram and two percentiles, interleaved in ABBA rounds. Measures the
 * median latency of sequential trivial {@code call}s; prints the median of round medians
 * and the spread.
 * <p>
 * Run: {@code java -cp <classpath> dev.bridge.benchmarks.LoopTimerOverhead [rounds]}.
 */
public final class LoopTimerOverhead {

	private static final int CALLS = 5_000;

	private LoopTimerOverhead() {
	}

	public static void main(String[] args) {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 12;
		List<Double> on = new ArrayList<>();
		List<Double> off = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			boolean onFirst = (round % 2 == 0);
			for (int half = 0; half < 2; half++) {
				boolean timers = (half == 0) == onFirst;
				(timers ? on : off).add(round(timers));
			}
		}
		System.out.printf(Locale.ROOT,
				"Java %s, %d rounds (ABBA): loop call median us, timers on %.1f (%.1f..%.1f), off %.1f (%.1f..%.1f), "
						+ "on/off %.3f%n",
				Runtime.version(), rounds, RoundFigures.median(on), RoundFigures.min(on), RoundFigures.max(on),
				RoundFigures.median(off), RoundFigures.min(off), RoundFigures.max(off),
				RoundFigures.median(on) / RoundFigures.median(off));
	}

	private static double round(boolean timers) {
		LoopRunner.Builder builder = LoopRunner.builder();
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
			BridgeLoopTimers loopTimers = new BridgeLoopTimers();
			loopTimers.bind(registry);
			builder.taskObserver(loopTimers);
		}
		try (LoopRunner loop = builder.build()) {
			for (int i = 0; i < 1_000; i++) {
				loop.call(() -> 1);
			}
			long[] nanos = new long[CALLS];
			for (int i = 0; i < CALLS; i++) {
				long start = System.nanoTime();
				loop.call(() -> 1);
				nanos[i] = System.nanoTime() - start;
			}
			Arrays.sort(nanos);
			return nanos[nanos.length / 2] / 1_000.0;
		}
	}

}
