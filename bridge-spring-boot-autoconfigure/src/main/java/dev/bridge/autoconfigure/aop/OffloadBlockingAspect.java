/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.context.ContextCapture;
import dev.bridge.offload.Offloader;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link OffloadBlocking @OffloadBlocking} methods on their offload pool, adapting
 * the result to the declared return type through the {@link ReturnTypeHandler} of the
 * method's {@link MethodRoute}. The advice of the {@link BridgeAdvisor} for
 * {@link MethodRoute.Kind#OFFLOAD}. Thread-safe.
 */
final class OffloadBlockingAspect implements MethodInterceptor {

	private final Offloader offloader;

	private final ContextCapture contextCapture;

	private final MethodRoutes methodRoutes;

	private final Routes<Route> routes = new Routes<>(this::resolve);

	OffloadBlockingAspect(Offloader offloader, ContextCapture contextCapture, MethodRoutes methodRoutes) {
		this.offloader = offloader;
		this.contextCapture = contextCapture;
		this.methodRoutes = methodRoutes;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Route route = this.routes.get(invocation);
		if (route == null) {
			return invocation.proceed();
		}
		BridgeInvocation call = new BridgeInvocation(invocation, route.method(), this.contextCapture);
		return route.method().handler().offload(call, route.offloader());
	}

	private @Nullable Route resolve(Method method, Class<?> targetClass) {
		MethodRoute resolved = this.methodRoutes.route(method, targetClass);
		if (resolved == null || resolved.kind() != MethodRoute.Kind.OFFLOAD) {
			return null;
		}
		return new Route(resolved, offloader(this.offloader, resolved));
	}

	/**
	 * The offloader view the calls of an {@code @OffloadBlocking} method go through: its
	 * pool, with its timeout, named after it. The startup validator builds it too, so
	 * that an unknown pool or a timeout the offloader refuses fails startup.
	 * @param offloader the offloader
	 * @param method the method's route
	 * @return the view
	 * @throws IllegalStateException naming the annotation and the method, when the
	 * offloader refuses the pool or the timeout
	 */
	static Offloader offloader(Offloader offloader, MethodRoute method) {
		Offloader pool = pool(offloader, method);
		MethodRoute.Timeout timeout = method.timeout();
		Offloader timed = (timeout != null)
				? timeout.applyTo(pool::timeout, "the call timeout of pool '" + method.pool() + "'", method.name())
				: pool;
		return timed.named(method.name());
	}

	private static Offloader pool(Offloader offloader, MethodRoute method) {
		try {
			return offloader.pool(method.pool());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@OffloadBlocking(pool = \"" + method.pool() + "\") on " + method.name()
					+ " names an offload pool that is not configured; configured pools are " + offloader.poolNames()
					+ ". Configure it under bridge.offload.pools." + method.pool() + " or fix the name");
		}
	}

	private record Route(MethodRoute method, Offloader offloader) {
	}

}
