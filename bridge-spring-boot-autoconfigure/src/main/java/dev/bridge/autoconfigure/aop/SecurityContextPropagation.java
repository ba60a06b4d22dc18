/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;

/**
 * Makes Spring Security's reactive security context visible to a body that runs on
 * another thread: it resolves the subscriber's {@code Mono<SecurityContext>} and writes
 * the context under the key of Spring Security's
 * {@code SecurityContextHolderThreadLocalAccessor}, so the context capture restores it
 * into the {@code SecurityContextHolder} around the body. Used only when Spring Security
 * is on the class path.
 */
final class SecurityContextPropagation {

	/** The key of {@code SecurityContextHolderThreadLocalAccessor}. */
	private static final String KEY = SecurityContext.class.getName();

	private SecurityContextPropagation() {
	}

	static <T> Mono<T> mono(Mono<T> source) {
		return securityContext().flatMap(
				(context) -> context.map((value) -> source.contextWrite((ctx) -> ctx.put(KEY, value))).orElse(source));
	}

	static <T> Flux<T> flux(Flux<T> source) {
		return securityContext().flatMapMany(
				(context) -> context.map((value) -> source.contextWrite((ctx) -> ctx.put(KEY, value))).orElse(source));
	}

	private static Mono<Optional<SecurityContext>> securityContext() {
		return ReactiveSecurityContextHolder.getContext().map(Optional::of).defaultIfEmpty(Optional.empty());
	}

}
