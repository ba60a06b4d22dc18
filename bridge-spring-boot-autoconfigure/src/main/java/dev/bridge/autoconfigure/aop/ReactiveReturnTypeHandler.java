/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import dev.bridge.loop.LoopRunner;
import dev.bridge.offload.Offloader;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Every reactive return type: {@code Mono}, {@code Flux} and any other type Spring's
 * {@link ReactiveAdapterRegistry} adapts ({@code Publisher}, RxJava, Mutiny, Kotlin
 * {@code Flow}, ... as present), and Kotlin {@code suspend} functions, which Spring's
 * proxies run as a {@code Mono} (a {@code Flux} for a {@code Flow}) and await in the
 * caller's coroutine. The body itself runs at subscribe time, once per subscription, on
 * the pool or on the loop ({@code defer(invoke)} subscribed there); the result is adapted
 * back to the declared type by the registry's adapter. Nothing runs before subscription
 * (unless the declared type is itself eager, such as a Kotlin {@code Deferred}, whose
 * adapter subscribes at once); cancelling the subscription cancels the body.
 * <p>
 * The publisher the body returns is subscribed on the pool or the loop too, under the
 * subscriber's context, so its lazy part (a {@code Mono.fromCallable(blocking)}, a
 * suspend function's coroutine) never runs on the subscriber's thread, a Netty event loop
 * perhaps, nor without the caller's identity: an offloaded single-valued publisher in the
 * body's own pool task, an offloaded multi-valued one (whose requests may trigger more
 * blocking work) on the pool with each request, a loop one on the loop.
 */
final class ReactiveReturnTypeHandler implements ReturnTypeHandler {

	private final boolean securityContext;

	private final ReactiveAdapterRegistry registry;

	private final Map<Method, Shape> shapes = new ConcurrentHashMap<>();

	/**
	 * Creates the handler.
	 * @param securityContext whether Spring Security is present, so that its reactive
	 * security context is made visible to bodies through the
	 * {@code SecurityContextHolder}
	 * @param registry the adapters of reactive types other than {@code Mono} and
	 * {@code Flux}
	 */
	ReactiveReturnTypeHandler(boolean securityContext, ReactiveAdapterRegistry registry) {
		this.securityContext = securityContext;
		this.registry = registry;
	}

	@Override
	public boolean canHandle(Method method) {
		return SuspendingFunctions.isSuspending(method) || adapter(method.getReturnType()) != null;
	}

	/**
	 * The registry's adapter for {@code type}, when what it adapts back to is a
	 * {@code type} (not, say, a plain {@code CompletableFuture} for a subclass of it).
	 */
	private @Nullable ReactiveAdapter adapter(Class<?> type) {
		ReactiveAdapter adapter = this.registry.getAdapter(type);
		return (adapter != null && type.isAssignableFrom(adapter.getReactiveType())) ? adapter : null;
	}

	private Shape shape(Method method) {
		return this.shapes.computeIfAbsent(method, (key) -> {
			if (SuspendingFunctions.isSuspending(key)) {
				return new Shape(SuspendingFunctions.returnsFlow(key), null);
			}
			Class<?> type = key.getReturnType();
			if (Mono.class.isAssignableFrom(type)) {
				return new Shape(false, null);
			}
			if (Flux.class.isAssignableFrom(type)) {
				return new Shape(true, null);
			}
			ReactiveAdapter adapter = adapter(type);
			if (adapter == null) {
				throw new IllegalStateException("No reactive adapter for " + type.getName());
			}
			return new Shape(adapter.isMultiValue(), adapter);
		});
	}

	@Override
	public @Nullable Object offload(BridgeInvocation invocation, Offloader offloader) {
		Shape shape = shape(invocation.method());
		if (!shape.multi()) {
			// The body and the subscription to what it returns run in one pool task,
			// under the subscriber's context, Reactor context included. A subscription
			// the task starts after the call was cancelled or timed out (a body that did
			// not answer the interrupt, then suspended) is cancelled, not left running.
			Mono<Object> subscribed = Mono.deferContextual((context) -> {
				Started started = new Started();
				return offloader.mono(() -> started.set(subscribeHere(shape.toMono(invocation.body().call()), context)))
					.doOnError((ex) -> started.cancel())
					.doOnCancel(started::cancel)
					.flatMap((future) -> Mono.fromFuture(started.handOver(future)));
			});
			return shape.adaptBack(withSecurityContext(subscribed));
		}
		Mono<@Nullable Object> assembled = offloader.mono(invocation.body());
		Executor pool = (task) -> offloader.future(Executors.callable(task));
		return shape.adaptBack(withSecurityContext(Flux.deferContextual((context) -> assembled
			.flatMapMany((value) -> shape.toFlux(value).subscribeOn(onCallersContext(invocation, pool, context))))));
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
		Shape shape = shape(invocation.method());
		if (!shape.multi()) {
			// The whole Mono is one piece of loop work, tracked until it ends, with the
			// subscriber's context.
			return shape.adaptBack(withSecurityContext(Mono.deferContextual((context) -> Mono.fromFuture(
					() -> loop.submit(
							Mono.fromCallable(invocation.bodyIn(context)).flatMap(shape::toMono).contextWrite(context)),
					false))));
		}
		Executor onLoop = (task) -> loop.scheduler().schedule(task);
		return shape.adaptBack(withSecurityContext(Flux.deferContextual((context) -> Mono
			.fromFuture(() -> invocation.startOnLoop(loop, context), false)
			.flatMapMany((value) -> shape.toFlux(value).subscribeOn(onCallersContext(invocation, onLoop, context))))));
	}

	private Mono<Object> withSecurityContext(Mono<Object> mono) {
		return this.securityContext ? SecurityContextPropagation.mono(mono) : mono;
	}

	private Flux<Object> withSecurityContext(Flux<Object> flux) {
		return this.securityContext ? SecurityContextPropagation.flux(flux) : flux;
	}

	/**
	 * The subscription a pool task started to what a single-valued body returned, until
	 * it is handed over to the caller: cancelled, when set or at once if already set,
	 * when the pool call fails or is cancelled first.
	 */
	private static final class Started {

		private static final Object DONE = new Object();

		private final AtomicReference<@Nullable Object> state = new AtomicReference<>();

		/**
		 * Keeps the subscription the pool task started, or cancels it when the call has
		 * already ended.
		 * @param future the subscription, or {@code null}
		 * @return {@code future}
		 */
		@Nullable CompletableFuture<Object> set(@Nullable CompletableFuture<Object> future) {
			if (future != null && !this.state.compareAndSet(null, future)) {
				future.cancel(false);
			}
			return future;
		}

		/**
		 * Hands the subscription over to the caller, which cancels it from now on.
		 * @param future the subscription
		 * @return {@code future}
		 */
		CompletableFuture<Object> handOver(CompletableFuture<Object> future) {
			this.state.set(DONE);
			return future;
		}

		/**
		 * Cancels the subscription, now or once the pool task sets it, unless it was
		 * handed over.
		 */
		void cancel() {
			Object previous = this.state.getAndSet(DONE);
			if (previous instanceof CompletableFuture<?> future) {
				future.cancel(false);
			}
		}

	}

	/**
	 * How one method's results are adapted: single or multi-valued, and the registry's
	 * adapter, or {@code null} for {@code Mono}, {@code Flux} and suspend functions
	 * (whose body Spring's proxy already returns as a {@code Mono} or {@code Flux}, and
	 * whose result it awaits itself).
	 */
	private record Shape(boolean multi, @Nullable ReactiveAdapter adapter) {

		@SuppressWarnings("unchecked")
		@Nullable Mono<Object> toMono(@Nullable Object value) {
			if (value == null) {
				return null;
			}
			ReactiveAdapter adapter = this.adapter;
			if (adapter == null) {
				return (value instanceof Mono<?> mono) ? (Mono<Object>) mono : Mono.from((Publisher<Object>) value);
			}
			return Mono.from(adapter.<Object>toPublisher(value));
		}

		@SuppressWarnings("unchecked")
		Flux<Object> toFlux(@Nullable Object value) {
			ReactiveAdapter adapter = this.adapter;
			if (adapter == null) {
				return (value instanceof Flux<?> flux) ? (Flux<Object>) flux : Flux.from((Publisher<Object>) value);
			}
			return Flux.from(adapter.<Object>toPublisher(value));
		}

		Object adaptBack(Publisher<Object> result) {
			ReactiveAdapter adapter = this.adapter;
			return (adapter != null) ? adapter.fromPublisher(result) : result;
		}

	}

}
