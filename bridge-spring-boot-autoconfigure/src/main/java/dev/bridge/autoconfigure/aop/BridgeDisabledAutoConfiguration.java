/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for {@code bridge.enabled=false}: Bridge registers nothing, but
 * says once, at WARN, which annotated methods now run on their callers' threads.
 *
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnBridgeEnabled(false)
public final class BridgeDisabledAutoConfiguration {

	@Bean
	static BridgeDisabledWarning bridgeDisabledWarning(ConfigurableListableBeanFactory beanFactory) {
		return new BridgeDisabledWarning(beanFactory);
	}

}
