/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import dev.bridge.offload.Offloader;
import dev.bridge.offload.Offloader.ThreadMode;

/**
 * What pinning detection (a JFR stream of {@code jdk.VirtualThreadPinned}) costs an
 * offloaded call, on Java 21+: offloaders with and without it, interleaved in short
 * rounds (ABBA order), since this VM's wake-up cost changes from moment to moment. Each
 * round builds its offloader (starting or not starting the stream), warms it up, then
 * measures (1) the median latency of sequential trivial calls, awaited one by one, and
 * (2) the time for a burst of concurrent calls that each block 1 ms. Prints each
 * variant's median of round medians and the spread (min..max of the round medians).
 * <p>
 * Run: {@code java -cp <classpath> dev.bridge.benchmarks.PinningDetectionOverhead
 * [rounds]}.
 */
public final class PinningDetectionOverhead {

	private static final int SEQUENTIAL_CALLS = 2_000;

	private static final int BURST_CALLS = 2_000;

	private PinningDetectionOverhead() {
	}

	public static void main(String[] args) throws Exception {
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
		System.out.printf(Locale.ROOT, "Java %s, %d rounds (ABBA)%n", Runtime.version(), rounds);
		RoundFigures.onOff("sequential call, median us", "detection", latencyOn, latencyOff);
		RoundFigures.onOff("burst of " + BURST_CALLS + " x 1 ms calls, ms", "detection", burstOn, burstOff);
	}

	private static double[] round(boolean detection) throws Exception {
		Offloader offloader = Offloader.builder()
			.defaultPool((pool) -> pool.threads(ThreadMode.VIRTUAL).maxConcurrency(BURST_CALLS))
			.pinningDetection(detection)
			.build();
		try {
			for (int i = 0; i < 500; i++) {
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
				calls[i] = offloader.future(() -> {
					Thread.sleep(1);
					return null;
				});
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
