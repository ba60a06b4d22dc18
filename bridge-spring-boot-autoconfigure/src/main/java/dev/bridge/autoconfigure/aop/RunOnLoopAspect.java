/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import dev.bridge.annotation.RunOnLoop;
import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link RunOnLoop @RunOnLoop} methods on the loop, adapting the result to the
 * declared return type through the {@link ReturnTypeHandler} of the method's
 * {@link MethodRoute}. The advice of the {@link BridgeAdvisor} for
 * {@link MethodRoute.Kind#LOOP}. Thread-safe.
 */
final class RunOnLoopAspect implements MethodInterceptor {

	private final LoopRunner loop;

	private final ContextCapture contextCapture;

	private final Routes<MethodRoute> routes;

	RunOnLoopAspect(LoopRunner loop, ContextCapture contextCapture, MethodRoutes methodRoutes) {
		this.loop = loop;
		this.contextCapture = contextCapture;
		this.routes = new Routes<>((method, targetClass) -> {
			MethodRoute resolved = methodRoutes.route(method, targetClass);
			return (resolved != null && resolved.kind() == MethodRoute.Kind.LOOP) ? resolved : null;
		});
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		MethodRoute method = this.routes.get(invocation);
		if (method == null) {
			return invocation.proceed();
		}
		return method.handler()
			.runOnLoop(new BridgeInvocation(invocation, method, this.contextCapture, this.loop),
					this.loop.named(method.name()));
	}

}
