/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.interceptor.ExposeInvocationInterceptor;

/**
 * One intercepted call of an annotated method, which a {@link ReturnTypeHandler} may
 * proceed with on another thread, any number of times (once per subscription for reactive
 * types).
 * <p>
 * Proceeding on another thread re-exposes the Spring AOP invocation there, so advice of
 * other aspects ordered inside Bridge's (which look it up through
 * {@link ExposeInvocationInterceptor}) works on the pool or loop thread too.
 */
final class BridgeInvocation {

	private final ProxyMethodInvocation methodInvocation;

	private final MethodRoute method;

	private final ContextCapture contextCapture;

	private final @Nullable Object @Nullable [] bodyArguments;

	BridgeInvocation(MethodInvocation methodInvocation, MethodRoute method, ContextCapture contextCapture) {
		this(methodInvocation, method, contextCapture, null);
	}

	/**
	 * Creates an invocation.
	 * @param methodInvocation the intercepted call
	 * @param method its route
	 * @param contextCapture captures the caller's context
	 * @param loop the loop a {@code @RunOnLoop} body runs on, so a suspend function
	 * resumes there; {@code null} for an offloaded body
	 */
	BridgeInvocation(MethodInvocation methodInvocation, MethodRoute method, ContextCapture contextCapture,
			@Nullable LoopRunner loop) {
		if (!(methodInvocation instanceof ProxyMethodInvocation proxyInvocation)) {
			throw new IllegalStateException("Bridge routes " + method.name() + " only through Spring AOP proxies, but "
					+ "was called through " + methodInvocation.getClass().getName());
		}
		this.methodInvocation = proxyInvocation;
		this.method = method;
		this.contextCapture = contextCapture;
		// A suspend function's body must start where Bridge subscribes to it, not on the
		// caller's dispatcher.
		this.bodyArguments = method.suspending() ? SuspendingFunctions.forBody(proxyInvocation.getArguments(), loop)
				: null;
	}

	/**
	 * The task name: {@code SimpleClassName.method}.
	 * @return the name
	 */
	String name() {
		return this.method.name();
	}

	/**
	 * The intercepted method.
	 * @return the method as the proxy saw it
	 */
	Method method() {
		return this.methodInvocation.getMethod();
	}

	/**
	 * The call's arguments.
	 * @return the arguments, as the proxy received them
	 */
	@Nullable Object[] arguments() {
		return this.methodInvocation.getArguments();
	}

	/**
	 * The annotation's timeout.
	 * @return the timeout, or {@code null} for the configured one
	 */
	@Nullable Duration timeout() {
		MethodRoute.Timeout timeout = this.method.timeout();
		return (timeout != null) ? timeout.value() : null;
	}

	/**
	 * Runs the rest of the interceptor chain and the method body on the calling thread.
	 * @return what the body returned
	 * @throws Throwable what the body threw
	 */
	@Nullable Object proceed() throws Throwable {
		@Nullable Object[] arguments = this.bodyArguments;
		return ExposeInvocationInterceptor.INSTANCE.invoke((arguments != null)
				? this.methodInvocation.invocableClone(arguments) : this.methodInvocation.invocableClone());
	}

	/**
	 * The body as a task for the core: checked exceptions pass through as they are.
	 * @return the task
	 */
	Callable<@Nullable Object> body() {
		return () -> {
			try {
				return proceed();
			}
			catch (Exception | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new UndeclaredThrowableException(ex);
			}
		};
	}

	/**
	 * The body as a task for the loop, which does not carry context by itself: it runs
	 * under the calling thread's context plus {@code contexts}.
	 * @param contexts extra context to restore around the body, such as a Reactor
	 * {@code ContextView}
	 * @return the task
	 */
	Callable<@Nullable Object> bodyIn(Object... contexts) {
		return this.contextCapture.wrap(body(), contexts);
	}

	/**
	 * An executor that runs each task on {@code executor} under the calling thread's
	 * context plus {@code contexts}, captured now: for the later parts of the call, such
	 * as the subscription to the publisher the body returned.
	 * @param executor the executor
	 * @param contexts extra context, such as a Reactor {@code ContextView}
	 * @return the capturing executor
	 */
	Executor inCallersContext(Executor executor, Object... contexts) {
		return this.contextCapture.wrap(executor, contexts);
	}

	/**
	 * Starts the body on the loop now, as tracked, named loop work, under the calling
	 * thread's context plus {@code contexts}.
	 * @param loop the loop runner
	 * @param contexts extra context to restore around the body, such as a Reactor
	 * {@code ContextView}
	 * @return the body's result, completed on the loop
	 */
	CompletableFuture<@Nullable Object> startOnLoop(LoopRunner loop, Object... contexts) {
		return loop.submit(Mono.fromCallable(bodyIn(contexts)));
	}

	/**
	 * Runs the body on the loop and waits for it, bounded by the annotation's timeout or
	 * the loop's call timeout. On the loop thread itself the body runs inline.
	 * @param loop the loop runner
	 * @return what the body returned
	 * @throws Throwable what the body threw, unwrapped, or the loop's deadlock, timeout
	 * or shutdown exception
	 */
	@Nullable Object awaitOnLoop(LoopRunner loop) throws Throwable {
		Callable<@Nullable Object> task = () -> {
			try {
				return proceed();
			}
			catch (RuntimeException | Error ex) {
				throw ex;
			}
			catch (Throwable ex) {
				throw new CheckedFailure(ex);
			}
		};
		Duration timeout = timeout();
		try {
			// The loop carries the caller's context itself. On the loop thread,
			// call(..) runs the body inline, isolated like a hop, and a timeout
			// has nothing to bound.
			return (timeout != null && !loop.inLoop()) ? loop.run(Mono.fromCallable(task), timeout) : loop.call(task);
		}
		catch (CheckedFailure ex) {
			Throwable checked = ex.getCause();
			// The caller's site the loop attached to the carrier.
			for (Throwable suppressed : ex.getSuppressed()) {
				checked.addSuppressed(suppressed);
			}
			throw checked;
		}
	}

	/**
	 * Carries a checked exception of the body through the loop's waiting methods, which
	 * would otherwise wrap it, so it reaches the caller as it was thrown.
	 */
	private static final class CheckedFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		CheckedFailure(Throwable cause) {
			super(null, cause, true, false);
		}

		@Override
		public synchronized Throwable getCause() {
			Throwable cause = super.getCause();
			return (cause != null) ? cause : this;
		}

	}

}
