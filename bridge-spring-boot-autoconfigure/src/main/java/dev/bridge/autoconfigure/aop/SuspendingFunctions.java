/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.bridge.loop.LoopRunner;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.ContinuationInterceptor;
import kotlin.coroutines.CoroutineContext;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.Dispatchers;
import kotlinx.coroutines.Job;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxy;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.util.ClassUtils;

/**
 * Kotlin {@code suspend} functions, as Spring's proxies run them: the proxy's
 * {@code AopUtils.invokeJoinpointUsingReflection} turns the call into a {@code Mono} (a
 * {@code Flux} for a {@code Flow}) in the coroutine context of the caller's continuation,
 * and the proxy awaits what the advice returns in the caller's coroutine. Bridge hands
 * the target a continuation whose context has a dispatcher of Bridge's instead of the
 * caller's, so the body starts on the thread that subscribes, the pool's or the loop's,
 * instead of being dispatched back to the caller's dispatcher, and an offloaded body
 * resumes after a suspension on {@code Dispatchers.IO}, never on the thread that resumed
 * it (the caller's, a timer's, an event loop's), which its blocking code would block; the
 * caller's other elements (such as {@code MDCContext} or {@code ReactorContext}) are
 * kept. Only loaded when a method is a suspend function, so Kotlin stays optional.
 */
final class SuspendingFunctions {

	private static final String FLOW = "kotlinx.coroutines.flow.Flow";

	private static final String COROUTINES_REACTOR = "kotlinx.coroutines.reactor.MonoKt";

	private SuspendingFunctions() {
	}

	/**
	 * Whether {@code method} is a Kotlin {@code suspend} function.
	 * @param method the method
	 * @return {@code true} for a suspend function
	 */
	static boolean isSuspending(Method method) {
		return KotlinDetector.isSuspendingFunction(method);
	}

	/**
	 * Whether Spring's proxies can run suspend functions: they need
	 * {@code kotlinx-coroutines-reactor}, looked up as they look it up.
	 * @return whether suspend functions can be routed
	 */
	static boolean supported() {
		return ClassUtils.isPresent(COROUTINES_REACTOR, AopProxy.class.getClassLoader());
	}

	/**
	 * Whether the suspend function returns a Kotlin {@code Flow}, which Spring's proxy
	 * adapts from a {@code Flux}.
	 * @param method a suspend function
	 * @return {@code true} for a {@code Flow}
	 */
	static boolean returnsFlow(Method method) {
		return FLOW.equals(new MethodParameter(method, -1).getParameterType().getName());
	}

	/**
	 * The arguments with the caller's continuation replaced by one whose context has no
	 * job of its own and, instead of the caller's dispatcher, one that starts the body on
	 * the subscribing thread, the pool's, and resumes it on {@code Dispatchers.IO} or,
	 * for {@code loop}, one that keeps the body on the loop: it starts there without a
	 * hop and resumes there after each suspension (asyncio's rule: a coroutine of the
	 * loop stays on the loop).
	 * @param arguments the arguments, the continuation last
	 * @param loop the loop the body belongs to, or {@code null} for an offloaded body
	 * @return a copy for the body
	 */
	static @Nullable Object[] forBody(@Nullable Object[] arguments, @Nullable LoopRunner loop) {
		@Nullable Object[] copy = arguments.clone();
		int last = copy.length - 1;
		copy[last] = BodyContinuation.of(copy[last], loop);
		return copy;
	}

	/**
	 * Only carries a context: Spring's proxy reads it to build the body's coroutine and
	 * never resumes it (the coroutine it builds has its own continuation). A class of its
	 * own, loaded only for suspend functions.
	 */
	private static final class BodyContinuation implements Continuation<Object> {

		static @Nullable Object of(@Nullable Object callers, @Nullable LoopRunner loop) {
			if (!(callers instanceof Continuation<?> continuation)) {
				return callers;
			}
			CoroutineContext dispatcher = (loop != null) ? new LoopDispatcher(loop) : new OffloadedDispatcher();
			return new BodyContinuation(continuation.getContext(), dispatcher);
		}

		private final CoroutineContext context;

		BodyContinuation(CoroutineContext callers, CoroutineContext dispatcher) {
			this.context = callers.minusKey(Job.Key).minusKey(ContinuationInterceptor.Key).plus(dispatcher);
		}

		@Override
		public CoroutineContext getContext() {
			return this.context;
		}

		@Override
		public void resumeWith(Object result) {
			throw new IllegalStateException("Bridge's body continuation is never resumed");
		}

	}

	/**
	 * Runs an offloaded body's coroutine: its start inline, in the pool task that
	 * subscribes to it, so the pool covers it up to its first suspension, and every
	 * resumption after a suspension on {@code Dispatchers.IO}, never inline on the thread
	 * that resumed it (the caller's, a timer's, an event loop's), which the rest of a
	 * blocking body would block. One per call.
	 */
	private static final class OffloadedDispatcher extends CoroutineDispatcher {

		private final AtomicBoolean started = new AtomicBoolean();

		@Override
		public boolean isDispatchNeeded(CoroutineContext context) {
			// The first dispatch is the coroutine's start, on the pool task's thread.
			return !this.started.compareAndSet(false, true);
		}

		@Override
		public void dispatch(CoroutineContext context, Runnable block) {
			Dispatchers.getIO().dispatch(context, block);
		}

		@Override
		public String toString() {
			return "Bridge offloaded body";
		}

	}

	/**
	 * Runs a loop body's coroutine on the loop: inline when already there, else as a task
	 * of the loop's scheduler.
	 */
	private static final class LoopDispatcher extends CoroutineDispatcher {

		private final LoopRunner loop;

		LoopDispatcher(LoopRunner loop) {
			this.loop = loop;
		}

		@Override
		public boolean isDispatchNeeded(CoroutineContext context) {
			return !this.loop.inLoop();
		}

		@Override
		public void dispatch(CoroutineContext context, Runnable block) {
			this.loop.scheduler().schedule(block);
		}

		@Override
		public String toString() {
			return "Bridge loop";
		}

	}

}
