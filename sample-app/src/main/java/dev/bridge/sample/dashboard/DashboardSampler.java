/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.time.Duration;
import java.util.List;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import dev.bridge.sample.orders.LegacyOrderRepository;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Takes {@link DashboardSample}s from {@link LoopRunner#stats()},
 * {@link Offloader#stats()} of every pool and the {@code bridge} health contributor.
 * Reading statistics never waits for the loop. Thread-safe.
 *
 * @since 0.1.0
 */
@Component
class DashboardSampler {

	private final LoopRunner loop;

	private final Offloader offloader;

	private final BridgeHealth health;

	private final LegacyOrderRepository repository;

	private final DashboardSample.Thresholds thresholds;

	DashboardSampler(LoopRunner loop, Offloader offloader, BridgeHealth health, LegacyOrderRepository repository,
			@Value("${bridge.loop.stall-threshold:200ms}") Duration stallThreshold,
			@Value("${bridge.health.lag-down-threshold:2s}") Duration lagDownThreshold) {
		this.loop = loop;
		this.offloader = offloader;
		this.health = health;
		this.repository = repository;
		this.thresholds = new DashboardSample.Thresholds(stallThreshold.toMillis(), lagDownThreshold.toMillis());
	}

	Mono<DashboardSample> sample(long seq) {
		return this.health.check().map((health) -> {
			List<DashboardSample.Pool> pools = this.offloader.poolNames()
				.stream()
				.map((name) -> DashboardSample.Pool.of(this.offloader.pool(name).stats()))
				.toList();
			String lastQueryThread = this.repository.lastQueryThread();
			return new DashboardSample(seq, System.currentTimeMillis(), DashboardSample.Loop.of(this.loop.stats()),
					pools, health, this.thresholds, (lastQueryThread != null) ? lastQueryThread : "");
		});
	}

}
