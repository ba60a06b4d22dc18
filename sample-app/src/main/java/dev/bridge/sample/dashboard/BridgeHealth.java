/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.dashboard;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.stereotype.Component;

/**
 * Asks the {@code bridge} health contributor, the one behind
 * {@code /actuator/health/bridge}, for its current answer, without going through HTTP.
 *
 * @since 0.1.0
 */
@Component
class BridgeHealth {

	static final String NAME = "bridge";

	private final ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry;

	private final ObjectProvider<HealthContributorRegistry> registry;

	BridgeHealth(ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry,
			ObjectProvider<HealthContributorRegistry> registry) {
		this.reactiveRegistry = reactiveRegistry;
		this.registry = registry;
	}

	Mono<DashboardSample.Health> check() {
		ReactiveHealthContributor contributor = contributor();
		if (contributor instanceof ReactiveHealthIndicator indicator) {
			return indicator.health()
				.map((health) -> new DashboardSample.Health(health.getStatus().getCode(), health.getDetails()))
				.onErrorResume((ex) -> Mono.just(new DashboardSample.Health("DOWN", Map.of("error", ex.toString()))));
		}
		return Mono.just(new DashboardSample.Health("UNKNOWN", Map.of()));
	}

	private @Nullable ReactiveHealthContributor contributor() {
		ReactiveHealthContributorRegistry reactive = this.reactiveRegistry.getIfAvailable();
		ReactiveHealthContributor contributor = (reactive != null) ? reactive.getContributor(NAME) : null;
		if (contributor != null) {
			return contributor;
		}
		HealthContributorRegistry blocking = this.registry.getIfAvailable();
		HealthContributor blockingContributor = (blocking != null) ? blocking.getContributor(NAME) : null;
		// adapt() subscribes a blocking indicator on boundedElastic, as the health
		// endpoint does
		return (blockingContributor != null) ? ReactiveHealthContributor.adapt(blockingContributor) : null;
	}

}
