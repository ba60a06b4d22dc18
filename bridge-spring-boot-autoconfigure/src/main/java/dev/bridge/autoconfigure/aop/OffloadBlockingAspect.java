/*
 * Copyright 2026 the Bridge authors.
 */
package dev.bridge.autoconfigure.aop;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import dev.bridge.annotation.OffloadBlocking;
import dev.bridge.context.ContextCapture;
import dev.bridge.offload.Offloader;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.Order;

/**
 * Runs {@link OffloadBlocking @OffloadBlocking} methods on their offload pool, adapting
 * the result to the declared return type through the first {@link ReturnTypeHandler} that
 * handles it. Thread-safe.
 */
@Aspect
@Order(BridgeAspectsConfigurations.ASPECT_ORDER)
final class OffloadBlockingAspect {

	private final Offloader offloader;

	private final ContextCapture contextCapture;

	private final List<ReturnTypeHandler> handlers;

	private final Routes<Route> routes = new Routes<>(this::resolve);

	OffloadBlockingAspect(Offloader offloader, ContextCapture contextCapture, List<ReturnTypeHandler> handlers) {
		this.offloader = offloader;
		this.contextCapture = contextCapture;
		this.handlers = handlers;
	}

	// Signature and type patterns only, no @annotation/@within: those leave a runtime
	// test that reflects on every call.
	@Around("execution(@dev.bridge.annotation.OffloadBlocking public * *(..)) "
			+ "|| (execution(public * *(..)) && within(@dev.bridge.annotation.OffloadBlocking *))")
	public @Nullable Object offload(ProceedingJoinPoint joinPoint) throws Throwable {
		Route route = this.routes.get(joinPoint);
		if (route == null) {
			return joinPoint.proceed();
		}
		BridgeInvocation invocation = new BridgeInvocation(joinPoint, route.method(), this.contextCapture);
		return route.method().handler().offload(invocation, route.offloader());
	}

	private @Nullable Route resolve(Method method, Class<?> targetClass) {
		MethodRoute resolved = MethodRoute.resolve(method, targetClass, this.handlers);
		if (resolved == null || resolved.kind() != MethodRoute.Kind.OFFLOAD) {
			return null;
		}
		Offloader pool = pool(this.offloader, resolved);
		Duration timeout = resolved.timeout();
		return new Route(resolved, (timeout != null) ? pool.timeout(timeout) : pool);
	}

	static Offloader pool(Offloader offloader, MethodRoute method) {
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
