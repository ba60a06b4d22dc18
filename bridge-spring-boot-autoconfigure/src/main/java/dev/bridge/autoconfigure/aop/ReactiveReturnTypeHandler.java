/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * {@code Mono} and {@code Flux}: the body itself runs at subscribe time, once per
 * subscription, on the pool or on the loop ({@code defer(invoke)} subscribed there).
 * Nothing runs before subscription; cancelling the subscription cancels the body.
 * <p>
 * The publisher the body returns is subscribed on the pool or the loop too, under the
 * subscriber's context, so its lazy part (a {@code Mono.fromCallable(blocking)}) never
 * runs on the subscriber's thread, a Netty event loop perhaps, nor without the caller's
 * identity: an offloaded {@code Mono} in the body's own pool task, an offloaded
 * {@code Flux} (whose requests may trigger more blocking work) on the pool with each
 * request, a loop {@code Flux} on the loop.
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
		if (returnsMono(invocation)) {
			// The body and the subscription to the Mono it returns run in one pool task,
			// under the subscriber's context, Reactor context included.
			// Assembled under the method's name, which the offloader takes at assembly
			// for
			// its rejections, timeouts and stall reports.
			Mono<Object> subscribed = Mono
				.deferContextual((context) -> invocation.named(invocation
					.named(() -> offloader.mono(() -> subscribeHere(asMono(invocation.body().call()), context)))))
				.flatMap((started) -> Mono.fromFuture(started));
			return withSecurityContext(subscribed);
		}
		Mono<@Nullable Object> assembled = invocation.named(invocation.named(() -> offloader.mono(invocation.body())));
		Executor pool = (task) -> invocation.named(() -> offloader.future(Executors.callable(task)));
		return withSecurityContext(Flux.deferContextual((context) -> assembled
			.flatMapMany((value) -> asFlux(value).subscribeOn(onCallersContext(invocation, pool, context)))));
	}

	/**
	 * Subscribes {@code mono} on this thread with the subscriber's context; the future
	 * completes with its outcome, and cancelling it cancels the subscription.
	 */
	private static @Nullable CompletableFuture<Object> subscribeHere(@Nullable Mono<Object> mono, ContextView context) {
		return (mono != null) ? mono.contextWrite(context).toFuture() : null;
	}

	private static Scheduler onCallersContext(BridgeInvocation invocation, Executor executor, ContextView context) {
		return Schedulers.fromExecutor(invocation.inCallersContext(executor, context));
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
		Executor onLoop = (task) -> loop.scheduler().schedule(task);
		return withSecurityContext(
				Flux.deferContextual((context) -> Mono.fromFuture(() -> invocation.startOnLoop(loop, context), false)
					.flatMapMany((value) -> asFlux(value).subscribeOn(onCallersContext(invocation, onLoop, context)))));
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
