/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.util.List;

import dev.bridge.annotation.RunOnLoop;
import dev.bridge.context.ContextCapture;
import dev.bridge.loop.LoopRunner;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.Order;

/**
 * Runs {@link RunOnLoop @RunOnLoop} methods on the loop, adapting the result to the
 * declared return type through the first {@link ReturnTypeHandler} that handles it.
 * Thread-safe.
 */
@Aspect
@Order(BridgeAspectsConfigurations.ASPECT_ORDER)
final class RunOnLoopAspect {

	private final LoopRunner loop;

	private final ContextCapture contextCapture;

	private final Routes<MethodRoute> routes;

	RunOnLoopAspect(LoopRunner loop, ContextCapture contextCapture, List<ReturnTypeHandler> handlers) {
		this.loop = loop;
		this.contextCapture = contextCapture;
		this.routes = new Routes<>((method, targetClass) -> {
			MethodRoute resolved = MethodRoute.resolve(method, targetClass, handlers);
			return (resolved != null && resolved.kind() == MethodRoute.Kind.LOOP) ? resolved : null;
		});
	}

	// Signature and type patterns only, no @annotation/@within: those leave a runtime
	// test that reflects on every call.
	@Around("execution(@dev.bridge.annotation.RunOnLoop public * *(..)) "
			+ "|| (execution(public * *(..)) && within(@dev.bridge.annotation.RunOnLoop *))")
	public @Nullable Object runOnLoop(ProceedingJoinPoint joinPoint) throws Throwable {
		MethodRoute method = this.routes.get(joinPoint);
		if (method == null) {
			return joinPoint.proceed();
		}
		return method.handler().runOnLoop(new BridgeInvocation(joinPoint, method, this.contextCapture), this.loop);
	}

}
