/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.bridge.offload.Offloader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Records {@code bridge.offload.calls} (tags {@code pool}, {@code outcome}) and
 * {@code bridge.offload.queue.wait} (tag {@code pool}) as real {@link Timer}s, so that
 * Boot's {@code management.metrics.distribution.*} properties can give them percentiles,
 * histograms and SLO buckets. The timers are registered once per pool when
 * {@link BridgeMetrics} is bound; a call costs one map lookup and one
 * {@code Timer.record} per timer it touches. Thread-safe.
 * <p>
 * Bridge's own support class, public only so that its packages can share it; not an API
 * for applications.
 *
 * @since 0.1.0
 */
public final class BridgeCallTimers implements Offloader.CallObserver {

	/**
	 * Timers for Bridge's own offloader, bound later by {@link BridgeMetrics}.
	 */
	public BridgeCallTimers() {
	}

	private volatile Map<String, PoolTimers[]> pools = Map.of();

	/**
	 * Registers the pools' timers in {@code registry}, beside those of other registries.
	 */
	public synchronized void bind(MeterRegistry registry, Collection<String> poolNames) {
		Map<String, PoolTimers[]> bound = new HashMap<>(this.pools);
		for (String pool : poolNames) {
			PoolTimers timers = new PoolTimers(calls(registry, pool, "success"), calls(registry, pool, "error"),
					calls(registry, pool, "cancelled"),
					Timer.builder("bridge.offload.queue.wait")
						.description("Time calls waited in the pool's queue for a free slot")
						.tag("pool", pool)
						.register(registry));
			List<PoolTimers> all = new ArrayList<>(List.of(bound.getOrDefault(pool, new PoolTimers[0])));
			all.add(timers);
			bound.put(pool, all.toArray(new PoolTimers[0]));
		}
		this.pools = Map.copyOf(bound);
	}

	private static Timer calls(MeterRegistry registry, String pool, String outcome) {
		return Timer.builder("bridge.offload.calls")
			.description("Blocking calls run on the pool")
			.tag("pool", pool)
			.tag("outcome", outcome)
			.register(registry);
	}

	@Override
	public @Nullable Object submitted(String pool, String task) {
		return this.pools.get(pool);
	}

	@Override
	public @Nullable AutoCloseable started(@Nullable Object state, long queueWaitNanos) {
		if (queueWaitNanos >= 0 && state instanceof PoolTimers[] timers) {
			for (PoolTimers pool : timers) {
				pool.queueWait.record(queueWaitNanos, TimeUnit.NANOSECONDS);
			}
		}
		return null;
	}

	@Override
	public void finished(@Nullable Object state, String outcome, long ranNanos, @Nullable Throwable error) {
		if (!(state instanceof PoolTimers[] timers)) {
			return;
		}
		for (PoolTimers pool : timers) {
			Timer timer = switch (outcome) {
				case "success" -> pool.success;
				case "error" -> pool.error;
				case "cancelled" -> pool.cancelled;
				default -> null;
			};
			if (timer != null) {
				timer.record(ranNanos, TimeUnit.NANOSECONDS);
			}
		}
	}

	private record PoolTimers(Timer success, Timer error, Timer cancelled, Timer queueWait) {
	}

}
