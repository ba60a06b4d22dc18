/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.bridge.loop.LoopStats;
import dev.bridge.offload.OffloadStats;

/**
 * One point of the dashboard's stream: the loop, every offload pool and the
 * {@code bridge} health, at one moment. Immutable; serialised as JSON.
 *
 * @param seq the sample's number in its stream, from 0
 * @param time when it was taken, in epoch milliseconds
 * @param loop the loop's statistics
 * @param pools each offload pool's statistics, {@code default} first
 * @param health the {@code bridge} health status and details
 * @param thresholds the configured limits the dashboard draws
 * @param lastQueryThread the thread the legacy repository's latest query ran on
 * @since 0.1.0
 */
public record DashboardSample(long seq, long time, Loop loop, List<Pool> pools, Health health, Thresholds thresholds,
		String lastQueryThread) {

	/**
	 * Creates a sample, copying the list.
	 */
	public DashboardSample {
		pools = List.copyOf(pools);
	}

	/**
	 * The loop's statistics, with durations in milliseconds.
	 *
	 * @param name the loop thread's name
	 * @param alive whether the loop accepts work
	 * @param state running, paused (the context is stopped), shut_down or dead
	 * @param lagMillis the scheduling lag
	 * @param pending tasks queued on the loop
	 * @param inFlight accepted work not yet finished
	 * @param completed work completed so far
	 * @param failed work failed so far
	 * @param stalls stalls detected so far
	 * @param currentTaskAgeMillis how long the running loop task has run
	 */
	public record Loop(String name, boolean alive, String state, double lagMillis, int pending, long inFlight,
			long completed, long failed, long stalls, double currentTaskAgeMillis) {

		static Loop of(LoopStats stats) {
			return new Loop(stats.name(), stats.alive(), stats.state().name().toLowerCase(Locale.ROOT),
					millis(stats.lag()), stats.pending(), stats.inFlight(), stats.completed(), stats.failed(),
					stats.stalls(), millis(stats.currentTaskAge()));
		}

	}

	/**
	 * One offload pool's statistics.
	 *
	 * @param name the pool name
	 * @param virtualThreads whether it runs on virtual threads
	 * @param active calls running
	 * @param queued calls waiting
	 * @param limit the concurrency limit
	 * @param queueCapacity the queue's capacity
	 * @param rejected calls refused so far
	 * @param completed calls completed so far
	 * @param failed calls failed so far
	 * @param stalls calls that ran past the pool's stall threshold so far
	 * @param pinned pinnings of the pool's virtual threads reported so far (Java 21+)
	 * @param oldestRunningMillis how long the pool's longest-running call still running
	 * has run
	 */
	public record Pool(String name, boolean virtualThreads, int active, int queued, int limit, int queueCapacity,
			long rejected, long completed, long failed, long stalls, long pinned, long oldestRunningMillis) {

		static Pool of(OffloadStats stats) {
			return new Pool(stats.pool(), stats.virtualThreads(), stats.active(), stats.queued(), stats.limit(),
					stats.queueCapacity(), stats.rejected(), stats.completed(), stats.failed(), stats.stalls(),
					stats.pinned(), stats.oldestRunning().toMillis());
		}

	}

	/**
	 * The {@code bridge} health indicator's answer.
	 *
	 * @param status {@code UP}, {@code DOWN}, or {@code UNKNOWN} when no indicator is
	 * registered
	 * @param details the indicator's details
	 */
	public record Health(String status, Map<String, Object> details) {

		/**
		 * Creates a health sample, copying the map.
		 */
		public Health {
			details = Map.copyOf(details);
		}

	}

	/**
	 * The limits the dashboard draws on its lag chart.
	 *
	 * @param stallMillis {@code bridge.loop.stall-threshold}
	 * @param lagDownMillis {@code bridge.health.lag-down-threshold}
	 */
	public record Thresholds(long stallMillis, long lagDownMillis) {

	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1_000_000.0;
	}

}
