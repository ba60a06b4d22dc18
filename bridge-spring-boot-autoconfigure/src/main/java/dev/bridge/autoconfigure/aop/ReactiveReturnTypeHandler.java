/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code Mono} and {@code Flux}: the body itself runs at subscribe time, once per
 * subscription, on the pool or on the loop ({@code defer(invoke)} subscribed there).
 * Nothing runs before subscription; cancelling the subscription cancels the body.
 */
final class ReactiveReturnTypeHandler implements ReturnTypeHandler {

	private final boolean securityContext;

	/**
	 * Creates the handler.
	 * @param securityContext whether Spring Security is present, so that its reactive
	 * security context is made visible to bodies through the
	 * {@code SecurityContextHolder}
	 */
	ReactiveReturnTypeHandler(boolean securityContext) {
		this.securityContext = securityContext;
	}

	@Override
	public boolean canHandleReturnType(Class<?> returnType) {
		return Mono.class.isAssignableFrom(returnType) || Flux.class.isAssignableFrom(returnType);
	}

	@Override
	public @Nullable Object offload(BridgeInvocation invocation, Offloader offloader) {
		// Assembled under the method's name, which the offloader takes at assembly for
		// its rejections, timeouts and stall reports.
		Mono<@Nullable Object> assembled = invocation.named(invocation.named(() -> offloader.mono(invocation.body())));
		if (returnsMono(invocation)) {
			return withSecurityContext(assembled.flatMap(ReactiveReturnTypeHandler::asMono));
		}
		return withSecurityContext(assembled.flatMapMany(ReactiveReturnTypeHandler::asFlux));
	}

	@Override
	public @Nullable Object runOnLoop(BridgeInvocation invocation, LoopRunner loop) {
		if (returnsMono(invocation)) {
			// The whole Mono is one piece of loop work, tracked until it ends, with the
			// subscriber's context.
			return withSecurityContext(Mono.deferContextual((context) -> Mono
				.fromFuture(() -> invocation.named(() -> loop.submit(Mono.fromCallable(invocation.bodyIn(context))
					.flatMap(ReactiveReturnTypeHandler::asMono)
					.contextWrite(context))), false)));
		}
		Mono<@Nullable Object> assembled = Mono
			.deferContextual((context) -> Mono.fromFuture(() -> invocation.startOnLoop(loop, context), false));
		return withSecurityContext(assembled.flatMapMany((value) -> asFlux(value).subscribeOn(loop.scheduler())));
	}

	private static boolean returnsMono(BridgeInvocation invocation) {
		return Mono.class.isAssignableFrom(invocation.method().getReturnType());
	}

	@SuppressWarnings("unchecked")
	private static Mono<Object> asMono(@Nullable Object value) {
		return (Mono<Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static Flux<Object> asFlux(@Nullable Object value) {
		return (Flux<Object>) value;
	}

	private Mono<Object> withSecurityContext(Mono<Object> mono) {
		return this.securityContext ? SecurityContextPropagation.mono(mono) : mono;
	}

	private Flux<Object> withSecurityContext(Flux<Object> flux) {
		return this.securityContext ? SecurityContextPropagation.flux(flux) : flux;
	}

}
