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

	/**
	 * The key under which {@link ReactiveSecurityContextHolder} keeps the reactive
	 * security context, read once through its public API.
	 */
	private static final Object REACTIVE_KEY = ReactiveSecurityContextHolder.withSecurityContext(Mono.empty())
		.stream()
		.findFirst()
		.orElseThrow()
		.getKey();

	private SecurityContextPropagation() {
	}

	static <T> Mono<T> mono(Mono<T> source) {
		// Most subscribers carry no reactive security context: skip resolving one.
		return Mono.deferContextual((view) -> view.hasKey(REACTIVE_KEY) ? securityContext().flatMap(
				(context) -> context.map((value) -> source.contextWrite((ctx) -> ctx.put(KEY, value))).orElse(source))
				: source);
	}

	static <T> Flux<T> flux(Flux<T> source) {
		return Flux.deferContextual((view) -> view.hasKey(REACTIVE_KEY) ? securityContext().flatMapMany(
				(context) -> context.map((value) -> source.contextWrite((ctx) -> ctx.put(KEY, value))).orElse(source))
				: source);
	}

	private static Mono<Optional<SecurityContext>> securityContext() {
		return ReactiveSecurityContextHolder.getContext().map(Optional::of).defaultIfEmpty(Optional.empty());
	}

}
