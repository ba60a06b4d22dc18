/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.health;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.BridgeProperties;
import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code bridge} health indicator
 * ({@code /actuator/health/bridge}): UP while the loop is alive and its lag stays under
 * {@code bridge.health.lag-down-threshold}, DOWN otherwise, with the loop's and each
 * offload pool's state as details. Needs {@code spring-boot-health}; switched off with
 * {@code management.health.bridge.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = BridgeAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBridgeEnabled
@Import(BridgeHealthAutoConfiguration.HealthIndicatorConfiguration.class)
public final class BridgeHealthAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnEnabledHealthIndicator("bridge")
	@ConditionalOnBean({ LoopRunner.class, BridgeProperties.class })
	static class HealthIndicatorConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "bridgeHealthIndicator")
		BridgeHealthIndicator bridgeHealthIndicator(LoopRunner loop, ObjectProvider<Offloader> offloader,
				BridgeProperties properties) {
			return new BridgeHealthIndicator(loop, offloader.getIfUnique(),
					properties.getHealth().getLagDownThreshold());
		}

	}

}
