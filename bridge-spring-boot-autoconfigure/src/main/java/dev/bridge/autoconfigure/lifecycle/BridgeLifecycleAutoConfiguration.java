/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.lifecycle;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import dev.bridge.autoconfigure.BridgeProperties;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of Bridge's graceful shutdown: when the application context closes,
 * the loop and the offload pools refuse new work, drain what is in flight within
 * {@code bridge.shutdown.timeout}, cancel the rest and stop their threads, after the web
 * server's graceful shutdown and before the context's executors and beans are destroyed.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = BridgeAutoConfiguration.class)
@ConditionalOnBridgeEnabled
@ConditionalOnBean(BridgeProperties.class)
public final class BridgeLifecycleAutoConfiguration {

	@Bean
	BridgeShutdownLifecycle bridgeShutdownLifecycle(BridgeProperties properties,
			ConfigurableListableBeanFactory beanFactory) {
		return new BridgeShutdownLifecycle(properties.getShutdown().getTimeout(), beanFactory);
	}

}
