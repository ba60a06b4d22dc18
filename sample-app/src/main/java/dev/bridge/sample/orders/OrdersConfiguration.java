/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.sample.orders;

import dev.bridge.sample.SampleProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the embedded database as slow as {@code sample.legacy.latency} says.
 *
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
class OrdersConfiguration {

	@Bean
	QueryDelay legacyQueryDelay(SampleProperties properties) {
		return QueryDelay.sleeping(properties.getLegacy().getLatency());
	}

}
