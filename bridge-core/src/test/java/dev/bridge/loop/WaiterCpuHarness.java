/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.loop;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the CPU that callers waiting on a loop burn per wall second, with the adaptive
 * wait and with the old spin-then-yield wait as its baseline, interleaved in one JVM
 * (this VM's wake-up cost changes from moment to moment). Not a test: run its main.
 * <p>
 * Loaded: two chains of 20 to 100 µs tasks keep the loop saturated while 1, 8 or 64
 * callers make trivial {@code call(..)}s. Idle: one caller and an otherwise idle loop,
 * for the single-caller round trip. Each configuration runs 1 s per round, as ten 100 ms
 * windows; a round's figure is the median of its windows.
 */
final class WaiterCpuHarness {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		String[] configs = { "loaded-1", "loaded-8", "loaded-64", "idle-1" };
		boolean[] modes = { false, true };
		double[][][] cpu = new double[configs.length][2][rounds];
		double[][][] micros = new double[configs.length][2][rounds];
		try (LoopRunner loop = LoopRunner.builder().stallThreshold(Duration.ofSeconds(10)).build()) {
			for (int round = 0; round < rounds; round++) {
				for (int c = 0; c < configs.length; c++) {
					for (int m = 0; m < 2; m++) {
						// Alternate which mode goes first from round to round.
						int mode = ((round & 1) == 0) ? m : 1 - m;
						Backoff.adaptive = modes[mode];
						double[] result = measure(loop, configs[c]);
						cpu[c][mode][round] = result[0];
						micros[c][mode][round] = result[1];
					}
				}
			}
		}
		Backoff.adaptive = true;
		System.out.println("config | wait | waiter CPU-s per wall s: median of round medians [min-max] | "
				+ "call median us [min-max]");
		for (int c = 0; c < configs.length; c++) {
			for (int mode = 0; mode < 2; mode++) {
				System.out.printf("%s | %s | %.3f [%.3f-%.3f] | %.1f [%.1f-%.1f]%n", configs[c],
						modes[mode] ? "adaptive" : "baseline", median(cpu[c][mode]), min(cpu[c][mode]),
						max(cpu[c][mode]), median(micros[c][mode]), min(micros[c][mode]), max(micros[c][mode]));
			}
		}
	}

	/** Returns the median waiter CPU per wall second and the median call time in µs. */
	private static double[] measure(LoopRunner loop, String config) throws Exception {
		boolean loaded = config.startsWith("loaded");
		int callers = Integer.parseInt(config.substring(config.indexOf('-') + 1));
		AtomicBoolean running = new AtomicBoolean(true);
		if (loaded) {
			for (int chain = 0; chain < 2; chain++) {
				loop.scheduler().schedule(new BusyChain(loop, running));
			}
		}
		List<Thread> callerThreads = new ArrayList<>();
		AtomicLong calls = new AtomicLong();
		List<long[]> samples = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			long[] durations = new long[200_000];
			samples.add(durations);
			Thread caller = new Thread(() -> {
				int n = 0;
				while (running.get()) {
					long start = System.nanoTime();
					loop.call(() -> 1);
					long took = System.nanoTime() - start;
					if (n < durations.length) {
						durations[n++] = took;
					}
					calls.incrementAndGet();
				}
			}, "waiter-" + i);
			caller.setDaemon(true);
			callerThreads.add(caller);
		}
		callerThreads.forEach(Thread::start);
		Thread.sleep(100); // warm-up window, not synchronisation
		double[] windows = new double[10];
		for (int w = 0; w < windows.length; w++) {
			long cpuBefore = cpu(callerThreads);
			long wallBefore = System.nanoTime();
			Thread.sleep(100); // the measurement window
			windows[w] = (cpu(callerThreads) - cpuBefore) / (double) (System.nanoTime() - wallBefore);
		}
		running.set(false);
		for (Thread caller : callerThreads) {
			caller.join(10_000);
		}
		loop.call(() -> 0); // the busy chains have ended
		List<Long> all = new ArrayList<>();
		for (long[] durations : samples) {
			for (long d : durations) {
				if (d == 0) {
					break;
				}
				all.add(d);
			}
		}
		long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
		double medianMicros = (sorted.length == 0) ? Double.NaN : sorted[sorted.length / 2] / 1000.0;
		return new double[] { median(windows), medianMicros };
	}

	private static long cpu(List<Thread> callers) {
		long total = 0;
		for (Thread caller : callers) {
			long time = threads.getThreadCpuTime(caller.getId());
			if (time > 0) {
				total += time;
			}
		}
		return total;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static double min(double[] values) {
		return Arrays.stream(values).min().orElse(Double.NaN);
	}

	private static double max(double[] values) {
		return Arrays.stream(values).max().orElse(Double.NaN);
	}

	/** A loop task of 20 to 100 µs of work that queues itself again while running. */
	private static final class BusyChain implements Runnable {

		private final LoopRunner loop;

		private final AtomicBoolean running;

		BusyChain(LoopRunner loop, AtomicBoolean running) {
			this.loop = loop;
			this.running = running;
		}

		@Override
		public void run() {
			long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(20_000, 100_000);
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			if (this.running.get()) {
				this.loop.scheduler().schedule(this);
			}
		}

	}

}
