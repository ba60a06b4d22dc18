/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.metrics;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Bridge's Micrometer meters ({@code bridge.loop.*},
 * {@code bridge.offload.*}), bound to the application's {@link MeterRegistry} when
 * Micrometer and a registry are present.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = BridgeAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
@ConditionalOnBridgeEnabled
public final class BridgeMetricsAutoConfiguration {

	@Bean
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnMissingBean(name = "bridgeMetrics")
	BridgeMetrics bridgeMetrics(ObjectProvider<LoopRunner> loop, ObjectProvider<Offloader> offloader,
			ObjectProvider<BridgeCallTimers> callTimers, ObjectProvider<BridgeLoopTimers> loopTimers) {
		return new BridgeMetrics(loop.getIfUnique(), offloader.getIfUnique(), callTimers.getIfUnique(),
				loopTimers.getIfUnique());
	}

}
