/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.observation;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Bridge's traces: when Micrometer Observation and an
 * {@link ObservationRegistry} are present, each offloaded call of Bridge's offloader is
 * an {@code Observation} named {@code bridge.offload.call}, and each piece of work run
 * through Bridge's loop runner one named {@code bridge.loop.call} (see
 * docs/operating.md).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = BridgeAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
@ConditionalOnBridgeEnabled
public final class BridgeObservationAutoConfiguration {

	@Bean
	@ConditionalOnBean(ObservationRegistry.class)
	BridgeCallObservations bridgeCallObservations(ObservationRegistry registry) {
		return new BridgeCallObservations(registry);
	}

	@Bean
	@ConditionalOnBean(ObservationRegistry.class)
	BridgeLoopObservations bridgeLoopObservations(ObservationRegistry registry) {
		return new BridgeLoopObservations(registry);
	}

}
