/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.metrics;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.bridge.loop.LoopRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records {@code bridge.loop.tasks} (tag {@code outcome}) as real {@link Timer}s for
 * Bridge's own loop runner, so that Boot's {@code management.metrics.distribution.*}
 * properties apply to them. Registered when {@link BridgeMetrics} is bound. Thread-safe.
 * <p>
 * Bridge's own support class, public only so that its packages can share it; not an API
 * for applications.
 *
 * @since 0.1.0
 */
public final class BridgeLoopTimers implements LoopRunner.TaskObserver {

	/** Per registry: success, error, cancelled. */
	private volatile Timer[][] timers = new Timer[0][];

	/**
	 * Timers for Bridge's own loop runner, bound later by {@link BridgeMetrics}.
	 */
	public BridgeLoopTimers() {
	}

	/**
	 * Registers the timers in {@code registry}, beside those of other registries.
	 * @param registry the registry
	 */
	public synchronized void bind(MeterRegistry registry) {
		Timer[] bound = { timer(registry, "success"), timer(registry, "error"), timer(registry, "cancelled") };
		Timer[][] all = Arrays.copyOf(this.timers, this.timers.length + 1);
		all[all.length - 1] = bound;
		this.timers = all;
	}

	private static Timer timer(MeterRegistry registry, String outcome) {
		return Timer.builder("bridge.loop.tasks")
			.description("Work run on the loop through the runner's API")
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public void finished(String outcome, long ranNanos) {
		int index = switch (outcome) {
			case "success" -> 0;
			case "error" -> 1;
			default -> 2;
		};
		for (Timer[] bound : this.timers) {
			bound[index].record(ranNanos, TimeUnit.NANOSECONDS);
		}
	}

}
