/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import dev.bridge.autoconfigure.ConditionalOnBridgeEnabled;
import dev.bridge.autoconfigure.BridgeAutoConfiguration;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of a {@link WebFilter} that puts a WebFlux request's resolved
 * Spring Security context into the request's Reactor context under the key of Spring
 * Security's {@code SecurityContextHolderThreadLocalAccessor}. With Reactor's automatic
 * context propagation ({@code spring.reactor.context-propagation=auto}) the handler then
 * runs with it in the {@code SecurityContextHolder}, so an {@code @OffloadBlocking} or
 * {@code @RunOnLoop} method it calls that returns a {@code CompletableFuture},
 * {@code void} or a plain value carries the identity to the pool or the loop, as
 * {@code Mono} and {@code Flux} methods do without it. Bridge does not turn that global
 * Reactor hook on itself.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = BridgeAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebFilter.class, ReactiveSecurityContextHolder.class })
@ConditionalOnBridgeEnabled
@ConditionalOnBooleanProperty(name = "bridge.context.propagation", matchIfMissing = true)
public final class BridgeReactiveSecurityAutoConfiguration {

	/**
	 * Runs inside Spring Security's filter chain (order -100), which puts the request's
	 * security context into the Reactor context.
	 */
	static final int ORDER = -90;

	@Bean
	@ConditionalOnMissingBean(name = "bridgeSecurityContextWebFilter")
	WebFilter bridgeSecurityContextWebFilter() {
		return new SecurityContextWebFilter();
	}

	/**
	 * The filter; ordered so it runs after Spring Security's.
	 */
	static final class SecurityContextWebFilter implements WebFilter, Ordered {

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			return SecurityContextPropagation.mono(chain.filter(exchange));
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

	}

}
