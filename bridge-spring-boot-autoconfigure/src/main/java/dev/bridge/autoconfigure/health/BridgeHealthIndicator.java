/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.bridge.loop.LoopRunner;
import dev.bridge.loop.LoopStats;
import dev.bridge.offload.OffloadStats;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code bridge} health indicator. OUT_OF_SERVICE while the context is stopped
 * (Bridge paused), DOWN when the loop is shut down or dead, or when its lag, or the age
 * of the task running on it, is above the threshold (a stalled loop, paused or not); UP
 * otherwise. Details: {@code loop} (name, alive, state, lag, inFlight, stalls,
 * currentTaskAge) and {@code offload} (per pool: active, queued, limit, rejected,
 * oldestRunning, stalls, pinned when any, and held while paused or holding calls). Reads
 * snapshots only, so it never waits for the loop. Thread-safe.
 */
final class BridgeHealthIndicator implements HealthIndicator {

	private final LoopRunner loop;

	private final @Nullable Offloader offloader;

	private final Duration lagDownThreshold;

	BridgeHealthIndicator(LoopRunner loop, @Nullable Offloader offloader, Duration lagDownThreshold) {
		this.loop = loop;
		this.offloader = offloader;
		this.lagDownThreshold = lagDownThreshold;
	}

	@Override
	public Health health() {
		LoopStats stats = this.loop.stats();
		Duration delay = (stats.lag().compareTo(stats.currentTaskAge()) >= 0) ? stats.lag() : stats.currentTaskAge();
		Health.Builder builder = Health.up();
		boolean paused = stats.state() == LoopStats.State.PAUSED;
		if (paused && stats.currentTaskAge().compareTo(this.lagDownThreshold) > 0) {
			// Stalled while paused: the stall, not the pause, is what needs attention.
			// The lag is not probed while paused, so only the running task's age counts.
			builder.down()
				.withDetail("reason", "loop " + stats.name() + " is " + millis(stats.currentTaskAge())
						+ " behind (a running task), above bridge.health.lag-down-threshold "
						+ millis(this.lagDownThreshold) + "; it is also paused: the application context is stopped");
		}
		else if (paused) {
			builder.outOfService()
				.withDetail("reason", "loop " + stats.name() + " is paused: the application context is stopped, and "
						+ "new work is held until it starts again");
		}
		else if (stats.state() == LoopStats.State.SHUT_DOWN) {
			builder.down().withDetail("reason", "loop " + stats.name() + " is shut down and refuses work");
		}
		else if (stats.state() == LoopStats.State.DEAD) {
			builder.down().withDetail("reason", "loop thread " + stats.name() + " died; look for its error in the log");
		}
		else if (delay.compareTo(this.lagDownThreshold) > 0) {
			builder.down()
				.withDetail("reason",
						"loop " + stats.name() + " is " + millis(delay)
								+ " behind (lag or a running task), above bridge.health.lag-down-threshold "
								+ millis(this.lagDownThreshold));
		}
		Map<String, Object> loopDetails = new LinkedHashMap<>();
		loopDetails.put("name", stats.name());
		loopDetails.put("alive", stats.alive());
		loopDetails.put("state", stats.state().name().toLowerCase(Locale.ROOT));
		loopDetails.put("lag", millis(stats.lag()));
		loopDetails.put("inFlight", stats.inFlight());
		loopDetails.put("stalls", stats.stalls());
		loopDetails.put("currentTaskAge", millis(stats.currentTaskAge()));
		builder.withDetail("loop", loopDetails);
		Offloader offloader = this.offloader;
		if (offloader != null) {
			Map<String, Object> pools = new LinkedHashMap<>();
			for (String name : offloader.poolNames()) {
				OffloadStats pool = offloader.pool(name).stats();
				Map<String, Object> poolDetails = new LinkedHashMap<>();
				poolDetails.put("active", pool.active());
				poolDetails.put("queued", pool.queued());
				poolDetails.put("limit", pool.limit());
				poolDetails.put("rejected", pool.rejected());
				poolDetails.put("oldestRunning", millis(pool.oldestRunning()));
				poolDetails.put("stalls", pool.stalls());
				if (pool.pinned() > 0) {
					poolDetails.put("pinned", pool.pinned());
				}
				if (pool.held() > 0 || paused) {
					poolDetails.put("held", pool.held());
				}
				pools.put(name, poolDetails);
			}
			builder.withDetail("offload", pools);
		}
		return builder.build();
	}

	private static String millis(Duration duration) {
		return duration.toMillis() + "ms";
	}

}
