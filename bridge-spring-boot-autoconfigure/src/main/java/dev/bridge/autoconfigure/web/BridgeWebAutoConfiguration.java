/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.web;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the HTTP answers to Bridge's errors in Spring MVC and WebFlux
 * applications: {@code 503 Service Unavailable} with {@code Retry-After} for a full pool,
 * {@code 503} for a shutdown, {@code 504 Gateway Timeout} for a timeout, each with an RFC
 * 9457 problem body, instead of a {@code 500} with a stack trace per request. An
 * application's own {@code @ExceptionHandler} for these exceptions takes precedence.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = BridgeAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnClass(ProblemDetail.class)
@ConditionalOnBridgeEnabled
public final class BridgeWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BridgeErrorResponses bridgeErrorResponses() {
		return new BridgeErrorResponses();
	}

}
