/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStats;
import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds Bridge's meters, read from the loop's and the pools' statistics snapshots when a
 * registry publishes, so recording costs the loop and the pools nothing extra. Every pool
 * is bound, virtual-thread pools included; timers carry an {@code outcome} tag
 * ({@code success}, {@code error}, {@code cancelled}) and offload meters a {@code pool}
 * tag.
 */
final class BridgeMetrics implements MeterBinder {

	private final @Nullable LoopRunner loop;

	/**
	 * One view per pool, held here because Micrometer's function meters only hold their
	 * state object weakly.
	 */
	private final Map<String, Offloader> pools = new LinkedHashMap<>();

	private final @Nullable BridgeCallTimers callTimers;

	BridgeMetrics(@Nullable LoopRunner loop, @Nullable Offloader offloader) {
		this(loop, offloader, null);
	}

	private final @Nullable BridgeLoopTimers loopTimers;

	BridgeMetrics(@Nullable LoopRunner loop, @Nullable Offloader offloader, @Nullable BridgeCallTimers callTimers) {
		this(loop, offloader, callTimers, null);
	}

	BridgeMetrics(@Nullable LoopRunner loop, @Nullable Offloader offloader, @Nullable BridgeCallTimers callTimers,
			@Nullable BridgeLoopTimers loopTimers) {
		this.loop = loop;
		this.callTimers = callTimers;
		this.loopTimers = loopTimers;
		if (offloader != null) {
			offloader.poolNames().forEach((name) -> this.pools.put(name, offloader.pool(name)));
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		LoopRunner loop = this.loop;
		if (loop != null) {
			BridgeLoopTimers timers = this.loopTimers;
			if (timers != null) {
				timers.bind(registry);
			}
			bindLoop(registry, loop, timers == null);
		}
		BridgeCallTimers timers = this.callTimers;
		if (timers != null) {
			timers.bind(registry, this.pools.keySet());
		}
		this.pools.forEach((name, pool) -> bindPool(registry, pool, Tags.of("pool", name), timers == null));
	}

	private static void bindLoop(MeterRegistry registry, LoopRunner loop, boolean functionTimers) {
		TimeGauge.builder("bridge.loop.lag", loop, TimeUnit.NANOSECONDS, (runner) -> nanos(runner.stats().lag()))
			.description("Scheduling delay of the loop's heartbeat, or the age of one still waiting to run")
			.register(registry);
		if (functionTimers) {
			loopTasks(registry, loop, "success", LoopStats::completed, LoopStats::completedTime);
			loopTasks(registry, loop, "error", LoopStats::failed, LoopStats::failedTime);
			loopTasks(registry, loop, "cancelled", LoopStats::cancelled, LoopStats::cancelledTime);
		}
		Gauge.builder("bridge.loop.pending", loop, (runner) -> runner.stats().pending())
			.description("Tasks queued on the loop, not yet started")
			.register(registry);
		FunctionCounter.builder("bridge.loop.stalls", loop, (runner) -> runner.stats().stalls())
			.description("Loop tasks that ran past the stall threshold")
			.register(registry);
	}

	private static void loopTasks(MeterRegistry registry, LoopRunner loop, String outcome,
			ToLongFunction<LoopStats> count, Function<LoopStats, Duration> time) {
		FunctionTimer
			.builder("bridge.loop.tasks", loop, (runner) -> count.applyAsLong(runner.stats()),
					(runner) -> nanos(time.apply(runner.stats())), TimeUnit.NANOSECONDS)
			.description("Work run on the loop through the runner's API")
			.tag("outcome", outcome)
			.register(registry);
	}

	/**
	 * Binds one pool's meters; its call and queue-wait timers are function timers over
	 * its statistics only when the offloader records no real timers (a user's own
	 * offloader, built without {@link BridgeCallTimers}).
	 */
	private static void bindPool(MeterRegistry registry, Offloader pool, Tags tags, boolean functionTimers) {
		if (functionTimers) {
			offloadCalls(registry, pool, tags, "success", OffloadStats::completed, OffloadStats::completedTime);
			offloadCalls(registry, pool, tags, "error", OffloadStats::failed, OffloadStats::failedTime);
			offloadCalls(registry, pool, tags, "cancelled", OffloadStats::cancelled, OffloadStats::cancelledTime);
			FunctionTimer
				.builder("bridge.offload.queue.wait", pool, (offloader) -> offloader.stats().queueWaits(),
						(offloader) -> nanos(offloader.stats().queueWaitTime()), TimeUnit.NANOSECONDS)
				.description("Time calls waited in the pool's queue for a free slot")
				.tags(tags)
				.register(registry);
		}
		gauge(registry, "bridge.offload.active", pool, tags, OffloadStats::active, "Calls running on the pool now");
		gauge(registry, "bridge.offload.queued", pool, tags, OffloadStats::queued,
				"Calls waiting in the pool's queue now");
		FunctionCounter.builder("bridge.offload.rejected", pool, (offloader) -> offloader.stats().rejected())
			.description("Calls refused because the pool and its queue were full")
			.tags(tags)
			.register(registry);
		FunctionCounter.builder("bridge.offload.stalls", pool, (offloader) -> offloader.stats().stalls())
			.description("Calls that ran past the pool's stall threshold (bridge.offload.stall-threshold)")
			.tags(tags)
			.register(registry);
		FunctionCounter.builder("bridge.offload.pinned", pool, (offloader) -> offloader.stats().pinned())
			.description("Pinnings of the pool's virtual threads to their carrier reported by the JDK (Java 21+)")
			.tags(tags)
			.register(registry);
	}

	private static void offloadCalls(MeterRegistry registry, Offloader pool, Tags tags, String outcome,
			ToLongFunction<OffloadStats> count, Function<OffloadStats, Duration> time) {
		FunctionTimer
			.builder("bridge.offload.calls", pool, (offloader) -> count.applyAsLong(offloader.stats()),
					(offloader) -> nanos(time.apply(offloader.stats())), TimeUnit.NANOSECONDS)
			.description("Blocking calls run on the pool")
			.tags(tags)
			.tag("outcome", outcome)
			.register(registry);
	}

	private static void gauge(MeterRegistry registry, String name, Offloader pool, Tags tags,
			ToDoubleFunction<OffloadStats> value, String description) {
		Gauge.builder(name, pool, (offloader) -> value.applyAsDouble(offloader.stats()))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private static double nanos(Duration duration) {
		return duration.toNanos();
	}

}
